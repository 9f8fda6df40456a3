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
from collections.abc import Iterable
from re import _constants as sre, _parser as sre_parse
from typing import Any

import re2

IGNORECASE = re.IGNORECASE
DOTALL = re.DOTALL
MULTILINE = re.MULTILINE
VERBOSE = re.VERBOSE
escape = re.escape

REGISTERED = []  # every pattern compiled here, for the linear-time property test

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
_UNICODE_CLASSES = {
    sre.CATEGORY_DIGIT: r"\p{Nd}",
    sre.CATEGORY_WORD: r"\p{L}\p{N}_",
    sre.CATEGORY_SPACE: r"\t-\r\x{1C}-\x{20}\x{85}\p{Z}",
}
_ASCII_CLASSES = {sre.CATEGORY_DIGIT: "0-9", sre.CATEGORY_WORD: "0-9A-Za-z_", sre.CATEGORY_SPACE: r"\t-\r "}
_NEGATED = {
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


def compile_pattern(pattern: str | bytes, flags: int = 0, *, max_input: int | None = None) -> Any:
    """A compiled pattern with re.Pattern's methods; see the module docstring for the engine chosen."""
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

    def __init__(self, negative, item):
        self.negative, self.item = negative, item


class _Alternative:
    def __init__(self, items, before, after):
        self.items, self.before, self.after = items, before, after


class _Program:
    """One RE2 program and where Python's groups sit in it."""

    def __init__(self, regexp, group_indexes, core_indexes):
        self.regexp, self.group_indexes, self.core_indexes = regexp, group_indexes, core_indexes


class _Translator:
    """Python's parse of a pattern written out in RE2's syntax."""

    def __init__(self, unicode):
        self.unicode = unicode
        self.next_group = 1
        self.group_indexes = {}
        self.core_indexes = []

    def sequence(self, items):
        return "".join(self.item(op, av) for op, av in items)

    def core(self, items):
        self.core_indexes.append(self._new_group())
        return "(" + self.sequence(items) + ")"

    def _new_group(self):
        index, self.next_group = self.next_group, self.next_group + 1
        return index

    def item(self, op, av):
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

    def group(self, group, add_flags, del_flags, items):
        if (add_flags | del_flags) & ~(IGNORECASE | MULTILINE | DOTALL):
            raise UnsupportedPattern("RE2 takes only the i, m and s flags inside a pattern")
        scoped = _flag_letters(add_flags) + ("-" + _flag_letters(del_flags) if del_flags else "")
        if group is None:
            return f"(?{scoped}:" + self.sequence(items) + ")"
        self.group_indexes.setdefault(group, []).append(self._new_group())
        inner = self.sequence(items)
        return "(" + (f"(?{scoped}:{inner})" if scoped else inner) + ")"

    def repeat(self, op, low, high, items):
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

    def anchor(self, code):
        anchors = {
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

    def char_class(self, items):
        """Python's character class; its negated categories (`[\\W_]`) become alternatives."""
        negate = bool(items) and items[0][0] is sre.NEGATE
        items = items[1:] if negate else items
        parts, negated = [], []
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

    def _word_without(self, negated, items):
        others = [(op, av) for op, av in items if not (op is sre.CATEGORY and av in _NEGATED)]
        no_digit = (sre.CATEGORY, sre.CATEGORY_DIGIT) in others
        no_underscore = (sre.LITERAL, ord("_")) in others
        if negated != [sre.CATEGORY_WORD] or len(others) != no_digit + no_underscore or not others:
            raise UnsupportedPattern(
                "RE2 cannot intersect classes; only [^\\W\\d], [^\\W_] and [^\\W\\d_] are known"
            )
        return "[" + _WORD_WITHOUT[no_digit, no_underscore][0 if self.unicode else 1] + "]"

    @property
    def classes(self):
        return _UNICODE_CLASSES if self.unicode else _ASCII_CLASSES


def _guard_class(translator, guard):
    """The characters a guard lets through: the looked-at class, or its complement for (?<!…)/(?!…)."""
    op, av = guard.item
    if op is sre.ANY:
        raise UnsupportedPattern("a lookaround of '.' is not a character class")
    items = (
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


def _literal(code):
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\x{{{code:X}}}"


def _flag_letters(flags):
    return "".join(letter for flag, letter in _FLAG_LETTERS if flags & flag)


def _describe(op, av):
    names = {
        sre.ASSERT: "lookaround of more than one character here",
        sre.ASSERT_NOT: "lookaround of more than one character here",
        sre.GROUPREF: "backreference",
        sre.GROUPREF_EXISTS: "conditional group",
        sre.ATOMIC_GROUP: "atomic group",
        sre.POSSESSIVE_REPEAT: "possessive repeat",
    }
    return names.get(op, str(op).lower())


def _alternatives(parsed):
    """The top-level alternatives, each with its one-character lookarounds taken off its ends."""
    items = list(parsed.data)
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is sre.BRANCH else [items]
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


def _guard(items, index, direction):
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


def _word_edge(items, index):
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


class _Re2Pattern:
    """A pattern on RE2. With lookarounds at its ends it is kept as several programs: one for a
    search from the start of the text, one for a search from inside it (which starts a character
    early to see the character before), and anchored ones for match and fullmatch."""

    engine = "re2"
    max_input = None

    def __init__(self, pattern, flags):
        parsed = sre_parse.parse(pattern, flags)
        self.pattern, self.flags = pattern, parsed.state.flags
        self.unicode = isinstance(pattern, str) and not self.flags & re.ASCII
        self._items = list(parsed.data)
        self.groups = parsed.state.groups - 1
        self.groupindex = dict(parsed.state.groupdict)
        self._alternatives = _alternatives(parsed)
        self.guarded = any(alt.before or alt.after for alt in self._alternatives)
        self._programs = {}
        self._program("search")  # checks the whole pattern now, at import, not on the first page

    def _program(self, kind):
        """The RE2 program of one kind: "search", "inside" (search/match from one character before),
        "match" (anchored at the start of the text), "full" and "full-inside" (for fullmatch)."""
        program = self._programs.get(kind)
        if program is None:
            program = self._programs[kind] = self._build(kind)
        return program

    def _build(self, kind):
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
            starts, inside = [s for s in starts if s is not None], [s for s in inside if s is not None]
            pieces = ([r"\A(?:" + "|".join(starts) + ")"] if starts else []) + (
                ["(?:" + "|".join(inside) + ")"] if inside else []
            )
            source = "|".join(pieces) or r"[^\x00-\x{10FFFF}]"  # no alternative can match there
        letters = _flag_letters(self.flags)
        source = (f"(?{letters})" if letters else "") + source
        if isinstance(self.pattern, bytes):
            regexp = re2.compile(source.encode("latin-1"), _RE2_BYTES_OPTIONS)
        else:
            regexp = re2.compile(source, _RE2_OPTIONS)
        return _Program(regexp, translator.group_indexes, translator.core_indexes)

    def _alternative(self, translator, alternative, *, at_text_start, full):
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

    def search(self, string, pos=0, endpos=None):
        return self._find(string, pos, endpos, _UNANCHORED)

    def match(self, string, pos=0, endpos=None):
        return self._find(string, pos, endpos, _ANCHOR_START)

    def fullmatch(self, string, pos=0, endpos=None):
        return self._find(string, pos, endpos, _ANCHOR_BOTH)

    def finditer(self, string, pos=0, endpos=None):
        text = _Text.of(string)
        for program, found in self._matches(text, pos, endpos):
            yield TextMatch(self, text, program, found)

    def findall(self, string, pos=0, endpos=None):
        return [_found_item(found, self.groups) for found in self.finditer(string, pos, endpos)]

    def subn(self, repl, string, count=0):
        text = _Text.of(string)
        literal = not callable(repl) and "\\" not in str(repl)
        if literal and text.ascii and not self.guarded:
            return self._subn_literal(repl, string, text.data, count)
        pieces, last, done = [], 0, 0
        for program, found in self._matches(text, 0, None):
            if literal:
                start, end = text.char_span(_whole(program, found))
                pieces += [string[last:start], repl]
            else:
                match = TextMatch(self, text, program, found)
                (start, end) = match.span()
                pieces += [string[last:start], repl(match) if callable(repl) else match.expand(repl)]
            last, done = end, done + 1
            if done == count:
                break
        pieces.append(string[last:])
        return string[:0].join(pieces), done

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]

    def _subn_literal(self, repl, string, data, count):
        """subn of a fixed replacement in ASCII text (offsets are the same in bytes): the most frequent
        call (text cleaning on every string of a page), kept to one RE2 call per match."""
        match, pos, end, last, pieces, done = (
            self._programs["search"].regexp._regexp.Match,
            0,
            len(data),
            0,
            [],
            0,
        )
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

    def split(self, string, maxsplit=0):
        pieces, last = [], 0
        for done, found in enumerate(self.finditer(string), 1):
            pieces += [string[last : found.start()], *found.groups()]
            last = found.end()
            if done == maxsplit:
                break
        return pieces + [string[last:]]

    def _find(self, string, pos, endpos, anchor):
        text = _Text.of(string)
        if pos == 0 and endpos is None and not self.guarded:  # the usual call, kept short
            program = self._programs["search"]
            found = program.regexp._regexp.Match(anchor, text.data, 0, len(text.data))
            return None if found[0][0] < 0 else TextMatch(self, text, program, found)
        pos, endpos = _clamp(text, pos, endpos)
        found = self._match_at(text, pos, endpos, anchor)
        return found and TextMatch(self, text, *found)

    def _matches(self, text, pos, endpos):
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

    def _match_at(self, text, pos, endpos, anchor):
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


def _whole(program, found):
    """The byte span of the whole match: the core between the guards when the pattern has any."""
    if not program.core_indexes:
        return found[0]
    return next(found[index] for index in program.core_indexes if found[index][0] >= 0)


class TextMatch:
    """re.Match's interface over an RE2 match (spans in the text's characters, worked out when asked)."""

    __slots__ = ("re", "string", "_text", "_program", "_found")

    def __init__(self, pattern, text, program, found):
        self.re, self.string, self._text, self._program, self._found = (
            pattern,
            text.string,
            text,
            program,
            found,
        )

    def _span(self, group):
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

    def span(self, group=0):
        return self._span(group) or (-1, -1)

    def start(self, group=0):
        return self.span(group)[0]

    def end(self, group=0):
        return self.span(group)[1]

    def group(self, *groups):
        values = tuple(self[group] for group in groups or (0,))
        return values[0] if len(values) == 1 else values

    def __getitem__(self, group):
        span = self._span(group)
        return None if span is None else self.string[span[0] : span[1]]

    def groups(self, default=None):
        return tuple(
            default if self[index] is None else self[index] for index in range(1, self.re.groups + 1)
        )

    def groupdict(self, default=None):
        return {
            name: default if self[index] is None else self[index]
            for name, index in self.re.groupindex.items()
        }

    def expand(self, template):
        """The template with \\1, \\g<1>, \\g<name> and \\n-style escapes filled in, as re.sub does."""
        pieces, index, empty = [], 0, template[:0]
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

    def __bool__(self):
        return True

    def __repr__(self):
        return f"<TextMatch span={self.span()} match={self.group()!r}>"


def _found_item(found, groups):
    if groups == 0:
        return found.group()
    empty = found.string[:0]
    return found.groups(empty)[0] if groups == 1 else found.groups(empty)


def _clamp(text, pos, endpos):
    length = len(text.string)
    endpos = length if endpos is None else max(0, min(endpos, length))
    return max(0, min(pos, endpos)), endpos


class _Text:
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
    def of(cls, string):
        if len(string) <= cls.KEEP_FROM:
            return cls(string)
        recent = cls._recent.__dict__.setdefault("texts", [])
        for index, text in enumerate(recent):
            if text.string is string:
                recent.insert(0, recent.pop(index))
                return text
        text = cls(string)
        recent.insert(0, text)
        del recent[cls.KEPT :]
        return text

    def __init__(self, string):
        self.string = string
        self._checkpoints = None
        if isinstance(string, (bytes, bytearray)):
            self.data, self.ascii = bytes(string), True
        elif isinstance(string, str):
            self.ascii = string.isascii()
            self.data = string.encode("ascii") if self.ascii else string.encode("utf-8", "surrogatepass")
        else:
            raise TypeError(f"expected string or bytes-like object, got {type(string).__name__!r}")

    def byte_offset(self, char_offset):
        if self.ascii:
            return char_offset
        checkpoints = self.checkpoints
        base = char_offset - char_offset % self.STEP
        return checkpoints[base // self.STEP] + len(
            self.string[base:char_offset].encode("utf-8", "surrogatepass")
        )

    def char_span(self, span):
        return span if self.ascii else (self._char_offset(span[0]), self._char_offset(span[1]))

    def _char_offset(self, byte_offset):
        checkpoints = self.checkpoints
        step = bisect.bisect_right(checkpoints, byte_offset) - 1
        start = checkpoints[step]
        return step * self.STEP + len(self.data[start:byte_offset].decode("utf-8", "surrogatepass"))

    @property
    def checkpoints(self):
        """The byte offset of every STEP-th character (up to the text's length)."""
        if self._checkpoints is None:
            offsets = [0]
            for start in range(0, len(self.string) - self.STEP + 1, self.STEP):
                offsets.append(
                    offsets[-1] + len(self.string[start : start + self.STEP].encode("utf-8", "surrogatepass"))
                )
            self._checkpoints = offsets
        return self._checkpoints


class _BoundedPattern:
    """A pattern on Python's `re` that only ever sees `max_input` characters from where it starts:
    its worst case is bounded by a constant however long the text, so a page's cost stays linear.
    sub and split work on the first `max_input` characters and keep the rest as it was."""

    engine = "re (bounded)"

    def __init__(self, pattern, flags, max_input):
        self.compiled = re.compile(pattern, flags)
        self.pattern, self.flags, self.max_input = pattern, self.compiled.flags, max_input
        self.groups, self.groupindex = self.compiled.groups, self.compiled.groupindex

    def _window(self, string, pos, endpos):
        endpos = len(string) if endpos is None else endpos
        return pos, min(endpos, pos + self.max_input)

    def search(self, string, pos=0, endpos=None):
        return self.compiled.search(string, *self._window(string, pos, endpos))

    def match(self, string, pos=0, endpos=None):
        return self.compiled.match(string, *self._window(string, pos, endpos))

    def fullmatch(self, string, pos=0, endpos=None):
        if (len(string) if endpos is None else endpos) - pos > self.max_input:
            return None
        return self.compiled.fullmatch(string, pos, len(string) if endpos is None else endpos)

    def finditer(self, string, pos=0, endpos=None):
        return self.compiled.finditer(string, *self._window(string, pos, endpos))

    def findall(self, string, pos=0, endpos=None):
        return self.compiled.findall(string, *self._window(string, pos, endpos))

    def subn(self, repl, string, count=0):
        replaced, done = self.compiled.subn(repl, string[: self.max_input], count)
        return replaced + string[self.max_input :], done

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]

    def split(self, string, maxsplit=0):
        pieces = self.compiled.split(string[: self.max_input], maxsplit)
        pieces[-1] += string[self.max_input :]
        return pieces
