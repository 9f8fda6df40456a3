"""Regular expressions whose matching time is linear in the text, whatever the text.

Python's `re` backtracks: a pattern such as `[\\w-]+?(cotton|wool)` takes time growing with the
square of a crafted input (or worse), and pages, client HTML and JSON are crafted input. Every
module compiles its patterns here, never with `re` (tests/shared/test_text_patterns.py checks the
code base for that and feeds adversarial text to every pattern registered here):

* A pattern is written in Python's syntax and runs on RE2 (google-re2), which never backtracks:
  one search is linear in the text. The pattern is translated from Python's parse of it, keeping
  Python's meaning where RE2's differs: `\\w`, `\\d` and `\\s` stay Unicode-aware on str patterns;
  `$` means the end of the text (Python also let it match before a final newline).
* RE2 has no lookarounds. A lookbehind or lookahead of one character at either end of a top-level
  alternative (and `\\b` next to a word character there) is kept by matching that character too and
  reporting only the part between: `(?<![\\w])wool(?!\\w)`, `\\bcm\\b`, `(?<=[a-z])coat`. A
  following search starts one character early, so the character before it is still seen.
* A pattern RE2 cannot run (a lookaround of more than one character, a backreference) runs on
  Python's `re` only over a bounded stretch of the text, `max_input` characters from where the
  search starts; `compile_pattern` refuses such a pattern without a bound, and refuses a bound on a
  pattern RE2 can run. Each bounded pattern says at its definition why it needs one.

What RE2 could not run as written, and what became of it:
* bounded: app_state's subtree keys (`(?<!to)cart`, a lookbehind of 2-3 characters; a JSON key's
  first 200 characters) and html_heuristics' labelled parts of a composition line (a lookahead of
  up to 32 characters over "Label:"; a line's first 5000 characters);
* rewritten: the script assignment (its lookaheads inside a group now match the literal's first
  character), Nuxt parameters (`(?!\\s*:)` checked on the match), prose percentages (`50% off` is
  caught in a group and the match dropped), Shopify's size suffix (the extension is captured and
  put back), and every `\b` next to a non-word character.
"""

import bisect
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, AnyStr, Generic, Literal, Protocol, TypeAlias, TypeVar, overload

import re2

if TYPE_CHECKING:  # typeshed has re's parser only under its old, deprecated names
    import sre_constants as sre
    import sre_parse
else:
    from re import _constants as sre, _parser as sre_parse

IGNORECASE = re.IGNORECASE
DOTALL = re.DOTALL
MULTILINE = re.MULTILINE
VERBOSE = re.VERBOSE
escape = re.escape

_T = TypeVar("_T")
# (opcode, argument): one item of Python's parse of a pattern. The argument's shape depends on the opcode (a
# literal's code point, a class's items, a group's parts); sre's stubs give it as a union only the opcode
# tells apart, so it is read here as the opcode says.
_Code = tuple[int, Any]
_Span = tuple[int, int]  # (start, end) in RE2's bytes or in the text's characters; (-1, -1): no part in it


class PatternMatch(Protocol[AnyStr]):
    """A match of either engine (re.Match or TextMatch): the part of re.Match's interface callers use. As in
    re.Match's stubs, a group that took no part in the match is None, which only the pattern tells."""

    @property
    def string(self) -> AnyStr: ...

    @overload
    def group(self, group: Literal[0] = 0, /) -> AnyStr: ...
    @overload
    def group(self, group: str | int, /) -> AnyStr | Any: ...
    @overload
    def group(
        self, group1: str | int, group2: str | int, /, *groups: str | int
    ) -> tuple[AnyStr | Any, ...]: ...

    @overload
    def groups(self) -> tuple[AnyStr | Any, ...]: ...
    @overload
    def groups(self, default: _T) -> tuple[AnyStr | _T, ...]: ...

    @overload
    def groupdict(self) -> dict[str, AnyStr | Any]: ...
    @overload
    def groupdict(self, default: _T) -> dict[str, AnyStr | _T]: ...

    def start(self, group: int | str = 0, /) -> int: ...
    def end(self, group: int | str = 0, /) -> int: ...
    def span(self, group: int | str = 0, /) -> tuple[int, int]: ...
    def expand(self, template: AnyStr) -> AnyStr: ...

    @overload
    def __getitem__(self, key: Literal[0], /) -> AnyStr: ...
    @overload
    def __getitem__(self, key: int | str, /) -> AnyStr | Any: ...


class TextPattern(Protocol[AnyStr]):
    """A pattern compile_pattern made, on either engine: re.Pattern's interface."""

    @property
    def engine(self) -> str: ...
    @property
    def owner(self) -> str | None: ...  # the module that compiled it (for the tests' reports)
    @property
    def max_input(self) -> int | None: ...
    @property
    def pattern(self) -> AnyStr: ...
    @property
    def flags(self) -> int: ...
    @property
    def groups(self) -> int: ...
    @property
    def groupindex(self) -> Mapping[str, int]: ...

    def search(
        self, string: AnyStr, pos: int = 0, endpos: int | None = None
    ) -> PatternMatch[AnyStr] | None: ...
    def match(
        self, string: AnyStr, pos: int = 0, endpos: int | None = None
    ) -> PatternMatch[AnyStr] | None: ...
    def fullmatch(
        self, string: AnyStr, pos: int = 0, endpos: int | None = None
    ) -> PatternMatch[AnyStr] | None: ...
    def finditer(
        self, string: AnyStr, pos: int = 0, endpos: int | None = None
    ) -> Iterator[PatternMatch[AnyStr]]: ...
    # As re.findall: the texts of the matches, of their one group, or tuples of their groups.
    def findall(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> list[Any]: ...
    def sub(self, repl: "Replacement[AnyStr]", string: AnyStr, count: int = 0) -> AnyStr: ...
    def subn(self, repl: "Replacement[AnyStr]", string: AnyStr, count: int = 0) -> tuple[AnyStr, int]: ...
    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]: ...


# What sub puts in place of a match: a template (`\1`, `\g<name>`) or a function of the match.
Replacement: TypeAlias = AnyStr | Callable[[PatternMatch[AnyStr]], AnyStr]

REGISTERED: list[TextPattern[Any]] = []  # every pattern compiled here, for the linear-time property test

_LOOKAROUNDS = (sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_SINGLE_CHARACTER = (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY)
_RE2_MAX_REPEAT = 1000
# RE2's own match call (google-re2 is pinned): it returns every group's byte span at once, at half
# the cost of the module's re-like wrapper, which matters for the thousands of short class names
# and keys a page has.
_UNANCHORED, _ANCHOR_START, _ANCHOR_BOTH = (
    re2._Anchor.UNANCHORED,
    re2._Anchor.ANCHOR_START,
    re2._Anchor.ANCHOR_BOTH,
)
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 64 << 20  # large alternations of words (materials, garment kinds) with (?i)
_RE2_BYTES_OPTIONS = re2.Options()
_RE2_BYTES_OPTIONS.encoding = re2.Options.Encoding.LATIN1
_RE2_BYTES_OPTIONS.max_mem = _RE2_OPTIONS.max_mem

# Python's classes on str patterns, in RE2's Unicode properties (str.isalnum, str.isdecimal, str.isspace).
_UNICODE_CLASSES: dict[int, str] = {
    sre.CATEGORY_DIGIT: r"\p{Nd}",
    sre.CATEGORY_WORD: r"\p{L}\p{N}_",
    sre.CATEGORY_SPACE: r"\t-\r\x{1C}-\x{20}\x{85}\p{Z}",
}
_ASCII_CLASSES: dict[int, str] = {
    sre.CATEGORY_DIGIT: "0-9",
    sre.CATEGORY_WORD: "0-9A-Za-z_",
    sre.CATEGORY_SPACE: r"\t-\r ",
}
_NEGATED: dict[int, int] = {
    sre.CATEGORY_NOT_DIGIT: sre.CATEGORY_DIGIT,
    sre.CATEGORY_NOT_WORD: sre.CATEGORY_WORD,
    sre.CATEGORY_NOT_SPACE: sre.CATEGORY_SPACE,
}
# `[^\W\d]` and its kin: a word character that is not a digit and/or not "_".
_WORD_WITHOUT = {
    (True, False): (r"\p{L}\p{Nl}\p{No}_", "A-Za-z_"),
    (False, True): (r"\p{L}\p{N}", "0-9A-Za-z"),
    (True, True): (r"\p{L}\p{Nl}\p{No}", "A-Za-z"),
}
_FLAG_LETTERS = ((IGNORECASE, "i"), (MULTILINE, "m"), (DOTALL, "s"))


class UnsupportedPattern(ValueError):
    """A pattern RE2 cannot run and that was given no `max_input` bound (or a bound it does not need)."""


def compile_pattern(pattern: AnyStr, flags: int = 0, *, max_input: int | None = None) -> TextPattern[AnyStr]:
    """A compiled pattern with re.Pattern's methods; see the module docstring for the engine chosen."""
    compiled: _Re2Pattern[AnyStr] | _BoundedPattern[AnyStr]
    try:
        compiled = _Re2Pattern(pattern, flags)
    except UnsupportedPattern as unsupported:
        if max_input is None:
            raise UnsupportedPattern(
                f"{pattern[:80]!r}: {unsupported}; rewrite it or give it a max_input bound"
            ) from None
        compiled = _BoundedPattern(pattern, flags, max_input)
    else:
        if max_input is not None:
            raise UnsupportedPattern(
                f"{pattern[:80]!r} runs on RE2 in linear time and needs no max_input bound"
            )
    compiled.owner = sys._getframe(1).f_globals.get(
        "__name__"
    )  # the module that uses it, for the tests' reports
    REGISTERED.append(compiled)
    return compiled


def any_word(words: Iterable[str]) -> str:
    """An alternation matching any of the words as written, longest first (so "sizes" wins over "size")."""
    return "|".join(escape(word) for word in sorted(words, key=len, reverse=True))


class _Guard:
    """One character before or after an alternative that a lookaround inspects."""

    def __init__(self, negative: bool, item: _Code) -> None:
        self.negative, self.item = negative, item


class _Alternative:
    def __init__(self, items: list[_Code], before: _Guard | None, after: _Guard | None) -> None:
        self.items, self.before, self.after = items, before, after


class _Program:
    """One RE2 program and where Python's groups sit in it."""

    # regexp: google-re2's compiled program (the package has no type information).
    def __init__(self, regexp: Any, group_indexes: dict[int, list[int]], core_indexes: list[int]) -> None:
        self.regexp, self.group_indexes, self.core_indexes = regexp, group_indexes, core_indexes


class _Translator:
    """Python's parse of a pattern written out in RE2's syntax."""

    def __init__(self, unicode: bool) -> None:
        self.unicode = unicode
        self.next_group = 1
        self.group_indexes: dict[int, list[int]] = {}
        self.core_indexes: list[int] = []

    def sequence(self, items: Iterable[_Code]) -> str:
        return "".join(self.item(op, av) for op, av in items)

    def core(self, items: Iterable[_Code]) -> str:
        self.core_indexes.append(self._new_group())
        return "(" + self.sequence(items) + ")"

    def _new_group(self) -> int:
        index, self.next_group = self.next_group, self.next_group + 1
        return index

    def item(self, op: int, av: Any) -> str:
        if op is sre.LITERAL:
            return _literal(av)
        if op is sre.NOT_LITERAL:
            return "[^" + _literal(av) + "]"
        if op is sre.ANY:
            return "."
        if op is sre.IN:
            return self.char_class(av)
        if op is sre.CATEGORY:
            return self.char_class([(op, av)])
        if op is sre.BRANCH:
            return "(?:" + "|".join(self.sequence(branch) for branch in av[1]) + ")"
        if op is sre.SUBPATTERN:
            return self.group(*av)
        if op in _REPEATS:
            return self.repeat(op, *av)
        if op is sre.AT:
            return self.anchor(av)
        raise UnsupportedPattern(f"RE2 has no {_describe(op, av)}")

    def group(self, group: int | None, add_flags: int, del_flags: int, items: Iterable[_Code]) -> str:
        if (add_flags | del_flags) & ~(IGNORECASE | MULTILINE | DOTALL):
            raise UnsupportedPattern("RE2 takes only the i, m and s flags inside a pattern")
        scoped = _flag_letters(add_flags) + ("-" + _flag_letters(del_flags) if del_flags else "")
        if group is None:
            return f"(?{scoped}:" + self.sequence(items) + ")"
        self.group_indexes.setdefault(group, []).append(self._new_group())
        inner = self.sequence(items)
        return "(" + (f"(?{scoped}:{inner})" if scoped else inner) + ")"

    def repeat(self, op: int, low: int, high: int, items: Sequence[_Code]) -> str:
        if high is not sre.MAXREPEAT and high > _RE2_MAX_REPEAT or low > _RE2_MAX_REPEAT:
            raise UnsupportedPattern(f"RE2 repeats at most {_RE2_MAX_REPEAT} times")
        body = self.sequence(items)
        atom = (
            body
            if len(items) == 1 and items[0][0] in (*_SINGLE_CHARACTER, sre.SUBPATTERN, sre.BRANCH)
            else "(?:" + body + ")"
        )
        if high is sre.MAXREPEAT:
            count = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
        else:
            count = "?" if (low, high) == (0, 1) else f"{{{low}}}" if low == high else f"{{{low},{high}}}"
        return atom + count + ("?" if op is sre.MIN_REPEAT else "")

    def anchor(self, code: int) -> str:
        anchors: dict[int, str] = {
            sre.AT_BEGINNING: "^",
            sre.AT_BEGINNING_STRING: r"\A",
            sre.AT_END: "$",
            sre.AT_END_STRING: r"\z",
        }
        if code not in anchors:
            raise UnsupportedPattern(
                "RE2's \\b and \\B know only ASCII words; write (?<!\\w)/(?!\\w) at an end"
            )
        return anchors[code]

    def char_class(self, items: Sequence[_Code]) -> str:
        """Python's character class; its negated categories (`[\\W_]`) become alternatives."""
        negate = bool(items) and items[0][0] is sre.NEGATE
        items = items[1:] if negate else items
        parts: list[str] = []
        negated: list[int] = []
        for op, av in items:
            if op is sre.LITERAL:
                parts.append(_literal(av))
            elif op is sre.RANGE:
                parts.append(_literal(av[0]) + "-" + _literal(av[1]))
            elif op is sre.CATEGORY and av in _NEGATED:
                negated.append(_NEGATED[av])
            elif op is sre.CATEGORY:
                parts.append(self.classes[av])
            else:
                raise UnsupportedPattern(f"RE2 has no {_describe(op, av)} in a class")
        if negate:
            return "[^" + "".join(parts) + "]" if not negated else self._word_without(negated, items)
        if not negated:
            return "[" + "".join(parts) + "]"
        return (
            "(?:"
            + "|".join(
                ([f"[{''.join(parts)}]"] if parts else [])
                + [f"[^{self.classes[category]}]" for category in negated]
            )
            + ")"
        )

    def _word_without(self, negated: list[int], items: Sequence[_Code]) -> str:
        others = [(op, av) for op, av in items if not (op is sre.CATEGORY and av in _NEGATED)]
        no_digit = (sre.CATEGORY, sre.CATEGORY_DIGIT) in others
        no_underscore = (sre.LITERAL, ord("_")) in others
        if negated != [sre.CATEGORY_WORD] or len(others) != no_digit + no_underscore or not others:
            raise UnsupportedPattern(
                "RE2 cannot intersect classes; only [^\\W\\d], [^\\W_] and [^\\W\\d_] are known"
            )
        return "[" + _WORD_WITHOUT[no_digit, no_underscore][0 if self.unicode else 1] + "]"

    @property
    def classes(self) -> dict[int, str]:
        return _UNICODE_CLASSES if self.unicode else _ASCII_CLASSES


def _guard_class(translator: _Translator, guard: _Guard) -> str:
    """The characters a guard lets through: the looked-at class, or its complement for (?<!…)/(?!…)."""
    op, av = guard.item
    if op is sre.ANY:
        raise UnsupportedPattern("a lookaround of '.' is not a character class")
    items: list[_Code] = (
        [(sre.LITERAL, av)]
        if op in (sre.LITERAL, sre.NOT_LITERAL)
        else [(sre.CATEGORY, av)]
        if op is sre.CATEGORY
        else list(av)
    )
    negate = (op is sre.NOT_LITERAL) != guard.negative
    if items[0][0] is sre.NEGATE:
        items, negate = items[1:], not negate
    return translator.char_class([(sre.NEGATE, None), *items] if negate else items)


def _literal(code: int) -> str:
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\x{{{code:X}}}"


def _flag_letters(flags: int) -> str:
    return "".join(letter for flag, letter in _FLAG_LETTERS if flags & flag)


def _describe(op: int, av: object) -> str:
    names: dict[int, str] = {
        sre.ASSERT: "lookaround of more than one character here",
        sre.ASSERT_NOT: "lookaround of more than one character here",
        sre.GROUPREF: "backreference",
        sre.GROUPREF_EXISTS: "conditional group",
        sre.ATOMIC_GROUP: "atomic group",
        sre.POSSESSIVE_REPEAT: "possessive repeat",
    }
    return names.get(op, str(op).lower())


def _alternatives(parsed: sre_parse.SubPattern) -> list["_Alternative"]:
    """The top-level alternatives, each with its one-character lookarounds taken off its ends."""
    items: list[_Code] = list(parsed.data)
    branches: Iterable[Iterable[_Code]] = (
        items[0][1][1] if len(items) == 1 and items[0][0] is sre.BRANCH else [items]
    )
    alternatives = []
    for branch in branches:
        items = list(branch)
        before = _guard(items, 0, -1)
        if before:
            items = items[1:]
        after = _guard(items, -1, 1)
        if after:
            items = items[:-1]
        alternatives.append(_Alternative(items, before, after))
    return alternatives


def _guard(items: Sequence[_Code], index: int, direction: int) -> _Guard | None:
    """The one-character lookaround (or `\\b` beside a word character) at the alternative's end."""
    if len(items) < 2:
        return None
    op, av = items[index]
    neighbour = items[1:] if direction < 0 else items[:-1]
    if (
        op in _LOOKAROUNDS
        and av[0] == direction
        and len(av[1].data) == 1
        and av[1].data[0][0] in _SINGLE_CHARACTER
    ):
        return _Guard(op is sre.ASSERT_NOT, av[1].data[0])
    if op is sre.AT and av is sre.AT_BOUNDARY and _word_edge(neighbour, 0 if direction < 0 else -1):
        return _Guard(True, (sre.IN, [(sre.CATEGORY, sre.CATEGORY_WORD)]))
    return None


def _word_edge(items: Sequence[_Code], index: int) -> bool:
    """Whether every match of `items` starts (index 0) or ends (index -1) with a word character."""
    if not items:
        return False
    op, av = items[index]
    if op is sre.LITERAL:
        return chr(av).isalnum() or chr(av) == "_"
    if op is sre.IN:
        return all(
            (kind is sre.LITERAL and (chr(value).isalnum() or chr(value) == "_"))
            or (kind is sre.RANGE and all(chr(code).isalnum() for code in range(value[0], value[1] + 1)))
            or (kind is sre.CATEGORY and value in (sre.CATEGORY_WORD, sre.CATEGORY_DIGIT))
            for kind, value in av
        )
    if op is sre.CATEGORY:
        return av in (sre.CATEGORY_WORD, sre.CATEGORY_DIGIT)
    if op in _REPEATS:
        optional_edge = av[0] == 0 and _word_edge(items[1:] if index == 0 else items[:-1], index)
        return _word_edge(list(av[2].data), index) and (av[0] >= 1 or optional_edge)
    if op is sre.SUBPATTERN:
        return _word_edge(list(av[3].data), index)
    if op is sre.BRANCH:
        return all(_word_edge(list(branch.data), index) for branch in av[1])
    return False


class _Re2Pattern(Generic[AnyStr]):
    """A pattern on RE2. With lookarounds at its ends it is kept as several programs: one for a
    search from the start of the text, one for a search from inside it (which starts a character
    early to see the character before), and anchored ones for match and fullmatch."""

    engine = "re2"
    max_input: int | None = None
    owner: str | None

    def __init__(self, pattern: AnyStr, flags: int) -> None:
        parsed = sre_parse.parse(pattern, flags)  # type: ignore[arg-type]  # it parses bytes too; the stub says str
        self.pattern: AnyStr = pattern
        self.flags: int = parsed.state.flags
        self.unicode = isinstance(pattern, str) and not self.flags & re.ASCII
        self._items: list[_Code] = list(parsed.data)
        self.groups = parsed.state.groups - 1
        self.groupindex: Mapping[str, int] = dict(parsed.state.groupdict)
        self._alternatives = _alternatives(parsed)
        self.guarded = any(alt.before or alt.after for alt in self._alternatives)
        self._programs: dict[str, _Program] = {}
        self._program("search")  # checks the whole pattern now, at import, not on the first page

    def _program(self, kind: str) -> "_Program":
        """The RE2 program of one kind: "search", "inside" (search/match from one character before),
        "match" (anchored at the start of the text), "full" and "full-inside" (for fullmatch)."""
        program = self._programs.get(kind)
        if program is None:
            program = self._programs[kind] = self._build(kind)
        return program

    def _build(self, kind: str) -> "_Program":
        translator = _Translator(self.unicode)
        if not self.guarded:
            source = translator.sequence(self._items)
        else:
            full = kind.startswith("full")
            starts = (
                [
                    self._alternative(translator, alt, at_text_start=True, full=full)
                    for alt in self._alternatives
                ]
                if kind in ("search", "match", "full")
                else []
            )
            inside = (
                [
                    self._alternative(translator, alt, at_text_start=False, full=full)
                    for alt in self._alternatives
                ]
                if kind in ("search", "inside", "full-inside")
                else []
            )
            at_start = [source for source in starts if source is not None]
            within = [source for source in inside if source is not None]
            pieces = ([r"\A(?:" + "|".join(at_start) + ")"] if at_start else []) + (
                ["(?:" + "|".join(within) + ")"] if within else []
            )
            source = "|".join(pieces) or r"[^\x00-\x{10FFFF}]"  # no alternative can match there
        letters = _flag_letters(self.flags)
        source = (f"(?{letters})" if letters else "") + source
        if isinstance(self.pattern, bytes):
            regexp = re2.compile(source.encode("latin-1"), _RE2_BYTES_OPTIONS)
        else:
            regexp = re2.compile(source, _RE2_OPTIONS)
        return _Program(regexp, translator.group_indexes, translator.core_indexes)

    def _alternative(
        self, translator: _Translator, alternative: _Alternative, *, at_text_start: bool, full: bool
    ) -> str | None:
        """One alternative with its guards as consumed characters (None when it cannot match there)."""
        before = alternative.before
        if at_text_start:
            if before and not before.negative:
                return None  # a positive lookbehind needs a character before the start
            prefix = ""
        else:
            prefix = _guard_class(translator, before) if before else "(?s:.)"
        after = alternative.after
        if full:
            if after and not after.negative:
                return None  # nothing follows the end of a full match
            suffix = r"\z"
        else:
            suffix = (
                ""
                if not after
                else "(?:" + _guard_class(translator, after) + r"|\z)"
                if after.negative
                else _guard_class(translator, after)
            )
        return prefix + translator.core(alternative.items) + suffix

    # re.Pattern's interface ------------------------------------------------------------------

    def search(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> "TextMatch[AnyStr] | None":
        return self._find(string, pos, endpos, _UNANCHORED)

    def match(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> "TextMatch[AnyStr] | None":
        return self._find(string, pos, endpos, _ANCHOR_START)

    def fullmatch(
        self, string: AnyStr, pos: int = 0, endpos: int | None = None
    ) -> "TextMatch[AnyStr] | None":
        return self._find(string, pos, endpos, _ANCHOR_BOTH)

    def finditer(
        self, string: AnyStr, pos: int = 0, endpos: int | None = None
    ) -> Iterator["TextMatch[AnyStr]"]:
        text = _Text.of(string)
        for program, found in self._matches(text, pos, endpos):
            yield TextMatch(self, text, program, found)

    def findall(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> list[Any]:
        return [_found_item(found, self.groups) for found in self.finditer(string, pos, endpos)]

    def subn(self, repl: Replacement[AnyStr], string: AnyStr, count: int = 0) -> tuple[AnyStr, int]:
        text = _Text.of(string)
        literal = None if callable(repl) or "\\" in str(repl) else repl  # put in as it is
        if literal is not None and text.ascii and not self.guarded:
            return self._subn_literal(literal, string, text.data, count)
        pieces: list[AnyStr] = []
        last, done = 0, 0
        for program, found in self._matches(text, 0, None):
            if literal is not None:
                start, end = text.char_span(_whole(program, found))
                pieces += [string[last:start], literal]
            else:
                match = TextMatch(self, text, program, found)
                (start, end) = match.span()
                pieces += [string[last:start], repl(match) if callable(repl) else match.expand(repl)]
            last, done = end, done + 1
            if done == count:
                break
        pieces.append(string[last:])
        return string[:0].join(pieces), done

    def sub(self, repl: Replacement[AnyStr], string: AnyStr, count: int = 0) -> AnyStr:
        return self.subn(repl, string, count)[0]

    def _subn_literal(self, repl: AnyStr, string: AnyStr, data: bytes, count: int) -> tuple[AnyStr, int]:
        """subn of a fixed replacement in ASCII text (offsets are the same in bytes): the most frequent
        call (text cleaning on every string of a page), kept to one RE2 call per match."""
        pieces: list[AnyStr] = []
        match, pos, end, last, done = self._programs["search"].regexp._regexp.Match, 0, len(data), 0, 0
        while pos <= end:
            start, stop = match(_UNANCHORED, data, pos, end)[0]
            if start < 0:
                break
            pieces += (string[last:start], repl)
            last, done = stop, done + 1
            if done == count:
                break
            pos = stop if stop > start else stop + 1
        if not done:
            return string, 0
        pieces.append(string[last:])
        return string[:0].join(pieces), done

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:
        pieces: list[AnyStr | None] = []
        last = 0
        for done, found in enumerate(self.finditer(string), 1):
            pieces.append(string[last : found.start()])
            pieces.extend(found.groups())
            last = found.end()
            if done == maxsplit:
                break
        return pieces + [string[last:]]

    def _find(
        self, string: AnyStr, pos: int, endpos: int | None, anchor: object
    ) -> "TextMatch[AnyStr] | None":
        text = _Text.of(string)
        if pos == 0 and endpos is None and not self.guarded:  # the usual call, kept short
            program = self._programs["search"]
            found = program.regexp._regexp.Match(anchor, text.data, 0, len(text.data))
            return None if found[0][0] < 0 else TextMatch(self, text, program, found)
        pos, endpos = _clamp(text, pos, endpos)
        found = self._match_at(text, pos, endpos, anchor)
        return found and TextMatch(self, text, *found)

    def _matches(
        self, text: "_Text[AnyStr]", pos: int, endpos: int | None
    ) -> Iterator[tuple["_Program", Sequence[_Span]]]:
        """(program, RE2 spans) of each match from pos on, as finditer walks them."""
        pos, endpos = _clamp(text, pos, endpos)
        if not self.guarded and text.ascii and endpos == len(text.data):  # the common case, kept short
            program = self._program("search")
            match, data = program.regexp._regexp.Match, text.data
            while pos <= endpos:
                found = match(_UNANCHORED, data, pos, endpos)
                if found[0][0] < 0:
                    return
                yield program, found
                start, end = found[0]
                pos = end if end > start else end + 1
            return
        while pos <= endpos:
            found = self._match_at(text, pos, endpos, _UNANCHORED)
            if found is None:
                return
            yield found
            start, end = text.char_span(_whole(*found))
            pos = end if end > start else end + 1

    def _match_at(
        self, text: "_Text[AnyStr]", pos: int, endpos: int, anchor: object
    ) -> tuple["_Program", Sequence[_Span]] | None:
        if not self.guarded:
            program, start = self._program("search"), pos
        elif anchor is _ANCHOR_BOTH:
            program, start = self._program("full" if pos == 0 else "full-inside"), max(pos - 1, 0)
        elif anchor is _ANCHOR_START:
            program, start = self._program("match" if pos == 0 else "inside"), max(pos - 1, 0)
        else:
            program, start = self._program("search" if pos == 0 else "inside"), max(pos - 1, 0)
        end = text.byte_offset(endpos)
        # RE2 sees the text past endpos (a lookahead would too): cut it off, as re's endpos does.
        data = text.data if end == len(text.data) else text.data[:end]
        found = program.regexp._regexp.Match(anchor, data, text.byte_offset(start), end)
        return None if found[0][0] < 0 else (program, found)


def _whole(program: _Program, found: Sequence[_Span]) -> _Span:
    """The byte span of the whole match: the core between the guards when the pattern has any."""
    if not program.core_indexes:
        return found[0]
    return next(found[index] for index in program.core_indexes if found[index][0] >= 0)


class TextMatch(Generic[AnyStr]):
    """re.Match's interface over an RE2 match (spans in the text's characters, worked out when asked)."""

    __slots__ = ("re", "string", "_text", "_program", "_found")

    def __init__(
        self, pattern: _Re2Pattern[AnyStr], text: "_Text[AnyStr]", program: _Program, found: Sequence[_Span]
    ) -> None:
        self.re: _Re2Pattern[AnyStr] = pattern
        self.string: AnyStr = text.string
        self._text: _Text[AnyStr] = text
        self._program, self._found = program, found

    def _span(self, group: int | str) -> _Span | None:
        if isinstance(group, str):
            group = self.re.groupindex.get(group, -1)
        if not isinstance(group, int) or not 0 <= group <= self.re.groups:
            raise IndexError("no such group")
        if group == 0:
            return self._text.char_span(_whole(self._program, self._found))
        found = next(
            (
                self._found[index]
                for index in self._program.group_indexes.get(group, ())
                if self._found[index][0] >= 0
            ),
            None,
        )
        return found and self._text.char_span(found)

    def span(self, group: int | str = 0) -> _Span:
        return self._span(group) or (-1, -1)

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    @overload
    def group(self, group: Literal[0] = 0, /) -> AnyStr: ...
    @overload
    def group(self, group: str | int, /) -> AnyStr | Any: ...
    @overload
    def group(
        self, group1: str | int, group2: str | int, /, *groups: str | int
    ) -> tuple[AnyStr | Any, ...]: ...

    def group(self, *groups: str | int) -> AnyStr | None | tuple[AnyStr | None, ...]:
        values = tuple(self[group] for group in groups or (0,))
        return values[0] if len(values) == 1 else values

    @overload
    def __getitem__(self, group: Literal[0], /) -> AnyStr: ...
    @overload
    def __getitem__(self, group: int | str, /) -> AnyStr | Any: ...

    def __getitem__(self, group: int | str) -> AnyStr | None:
        span = self._span(group)
        return None if span is None else self.string[span[0] : span[1]]

    @overload
    def groups(self) -> tuple[AnyStr | Any, ...]: ...
    @overload
    def groups(self, default: _T) -> tuple[AnyStr | _T, ...]: ...

    def groups(self, default: object = None) -> tuple[object, ...]:
        return tuple(
            default if self[index] is None else self[index] for index in range(1, self.re.groups + 1)
        )

    @overload
    def groupdict(self) -> dict[str, AnyStr | Any]: ...
    @overload
    def groupdict(self, default: _T) -> dict[str, AnyStr | _T]: ...

    def groupdict(self, default: object = None) -> dict[str, Any]:
        return {
            name: default if self[index] is None else self[index]
            for name, index in self.re.groupindex.items()
        }

    def expand(self, template: AnyStr) -> AnyStr:
        """The template with \\1, \\g<1>, \\g<name> and \\n-style escapes filled in, as re.sub does."""
        pieces: list[AnyStr] = []
        index, empty = 0, template[:0]
        backslash = template[:0] + ("\\" if isinstance(template, str) else b"\\")
        while index < len(template):
            char = template[index : index + 1]
            follow = template[index + 1 : index + 2]
            if char != backslash or not follow:
                pieces.append(char)
                index += 1
            elif follow.isdigit():
                digits = 2 if template[index + 2 : index + 3].isdigit() else 1
                pieces.append(self[int(template[index + 1 : index + 1 + digits])] or empty)
                index += 1 + digits
            elif follow in ("g", b"g") and template[index + 2 : index + 3] in ("<", b"<"):
                close = template.index(">" if isinstance(template, str) else b">", index)
                name = template[index + 3 : close]
                pieces.append(
                    self[int(name) if name.isdigit() else name if isinstance(name, str) else name.decode()]
                    or empty
                )
                index = close + 1
            else:
                escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "f": "\f", "v": "\v", "a": "\a"}
                key = follow if isinstance(follow, str) else follow.decode("latin-1")
                piece = escapes.get(key, "\\" + key)
                pieces.append(piece if isinstance(template, str) else piece.encode("latin-1"))
                index += 2
        return empty.join(pieces)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<TextMatch span={self.span()} match={self.group()!r}>"


def _found_item(found: TextMatch[AnyStr], groups: int) -> AnyStr | tuple[AnyStr, ...]:
    if groups == 0:
        return found.group()
    empty = found.string[:0]
    return found.groups(empty)[0] if groups == 1 else found.groups(empty)


def _clamp(text: "_Text[AnyStr]", pos: int, endpos: int | None) -> tuple[int, int]:
    length = len(text.string)
    endpos = length if endpos is None else max(0, min(endpos, length))
    return max(0, min(pos, endpos)), endpos


class _Text(Generic[AnyStr]):
    """A text as RE2 reads it (UTF-8 bytes), with its character ↔ byte offsets.

    The last few long texts are kept per thread: extraction searches one script many times (and a
    literal inside it between two of those searches), and re-encoding the script for each search
    would make the whole quadratic again."""

    KEEP_FROM = 1024  # characters; shorter texts are cheap to encode again
    KEPT = 4
    STEP = 64  # characters between two remembered byte offsets of a non-ASCII text
    _recent = threading.local()

    __slots__ = ("string", "data", "ascii", "_checkpoints")

    @classmethod
    def of(cls, string: AnyStr) -> "_Text[AnyStr]":
        if len(string) <= cls.KEEP_FROM:
            return cls(string)
        recent: list[_Text[Any]] = cls._recent.__dict__.setdefault("texts", [])
        for index, text in enumerate(recent):
            if text.string is string:
                recent.insert(0, recent.pop(index))
                return text
        text = cls(string)
        recent.insert(0, text)
        del recent[cls.KEPT :]
        return text

    def __init__(self, string: AnyStr) -> None:
        self.string: AnyStr = string
        self._checkpoints: list[int] | None = None
        self.data: bytes
        self.ascii: bool
        if isinstance(string, (bytes, bytearray)):
            self.data, self.ascii = bytes(string), True
        elif isinstance(string, str):
            self.ascii = string.isascii()
            self.data = string.encode("ascii") if self.ascii else string.encode("utf-8", "surrogatepass")
        else:
            raise TypeError(f"expected string or bytes-like object, got {type(string).__name__!r}")

    def byte_offset(self, char_offset: int) -> int:
        if self.ascii:
            return char_offset
        checkpoints = self.checkpoints
        base = char_offset - char_offset % self.STEP
        return checkpoints[base // self.STEP] + _utf8_length(self.string[base:char_offset])

    def char_span(self, span: _Span) -> _Span:
        return span if self.ascii else (self._char_offset(span[0]), self._char_offset(span[1]))

    def _char_offset(self, byte_offset: int) -> int:
        checkpoints = self.checkpoints
        step = bisect.bisect_right(checkpoints, byte_offset) - 1
        start = checkpoints[step]
        return step * self.STEP + len(self.data[start:byte_offset].decode("utf-8", "surrogatepass"))

    @property
    def checkpoints(self) -> list[int]:
        """The byte offset of every STEP-th character (up to the text's length)."""
        if self._checkpoints is None:
            offsets = [0]
            for start in range(0, len(self.string) - self.STEP + 1, self.STEP):
                offsets.append(offsets[-1] + _utf8_length(self.string[start : start + self.STEP]))
            self._checkpoints = offsets
        return self._checkpoints


def _utf8_length(piece: str | bytes) -> int:
    """The length of a piece of a non-ASCII text in UTF-8 (only a str text is ever non-ASCII: bytes are
    read as Latin-1, a byte per character)."""
    return len(piece.encode("utf-8", "surrogatepass")) if isinstance(piece, str) else len(piece)


class _BoundedPattern(Generic[AnyStr]):
    """A pattern on Python's `re` that only ever sees `max_input` characters from where it starts:
    its worst case is bounded by a constant however long the text, so a page's cost stays linear.
    sub and split work on the first `max_input` characters and keep the rest as it was."""

    engine = "re (bounded)"
    owner: str | None

    def __init__(self, pattern: AnyStr, flags: int, max_input: int) -> None:
        self.compiled: re.Pattern[AnyStr] = re.compile(pattern, flags)
        self.pattern: AnyStr = pattern
        self.flags: int = self.compiled.flags
        self.max_input: int = max_input
        self.groups: int = self.compiled.groups

        self.groupindex: Mapping[str, int] = self.compiled.groupindex

    def _window(self, string: AnyStr, pos: int, endpos: int | None) -> tuple[int, int]:
        endpos = len(string) if endpos is None else endpos
        return pos, min(endpos, pos + self.max_input)

    def search(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> re.Match[AnyStr] | None:
        return self.compiled.search(string, *self._window(string, pos, endpos))

    def match(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> re.Match[AnyStr] | None:
        return self.compiled.match(string, *self._window(string, pos, endpos))

    def fullmatch(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> re.Match[AnyStr] | None:
        if (len(string) if endpos is None else endpos) - pos > self.max_input:
            return None
        return self.compiled.fullmatch(string, pos, len(string) if endpos is None else endpos)

    def finditer(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[AnyStr]]:
        return self.compiled.finditer(string, *self._window(string, pos, endpos))

    def findall(self, string: AnyStr, pos: int = 0, endpos: int | None = None) -> list[Any]:
        return self.compiled.findall(string, *self._window(string, pos, endpos))

    def subn(self, repl: Replacement[AnyStr], string: AnyStr, count: int = 0) -> tuple[AnyStr, int]:
        replaced, done = self.compiled.subn(repl, string[: self.max_input], count)
        return replaced + string[self.max_input :], done

    def sub(self, repl: Replacement[AnyStr], string: AnyStr, count: int = 0) -> AnyStr:
        return self.subn(repl, string, count)[0]

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:

        pieces = self.compiled.split(string[: self.max_input], maxsplit)
        pieces[-1] += string[self.max_input :]
        return pieces
