"""Which URLs the server may connect to, and connections that go only where the check said.

Users choose URLs this server connects to (product pages and images, try-on callbacks), so it must never
become a door into our own network:
- only http/https, no credentials in the URL;
- the host is resolved once and every address must be global: loopback, private, link-local incl. cloud
  metadata 169.254.169.254, multicast, reserved, documentation, unspecified and every IPv6 range outside
  global unicast (IPv4-compatible/-translated forms, NAT64 local use, 5f00::/16) are refused, and IPv4-mapped /
  6to4 / Teredo / NAT64 embeddings are judged by the IPv4 address they carry; legacy spellings such as
  2130706433 or 0x7f.1 resolve to what they mean;
- the connection goes to the checked address (TLS keeps the real host name for SNI and certificate checks), so
  a second DNS answer cannot redirect it; a deadline shuts its socket down, however slowly the far end drips.
`allow_private` (SCRAPER_ALLOW_PRIVATE_NETWORKS, test-only) admits loopback and private addresses, never
link-local, multicast or unspecified ones.
"""

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection

from shared.errors import ApiError, UpstreamError, ValidationError
from shared.text_patterns import compile_pattern

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
_NON_GLOBAL_V6 = tuple(ipaddress.ip_network(net) for net in ("2001::/23", "2001:db8::/32", "3fff::/20"))
_NON_GLOBAL_V4 = (ipaddress.ip_network("192.0.0.0/24"),)  # IETF protocol assignments
_NUMERIC_HOST = compile_pattern(r"[0-9a-fx.]+")
_DIGIT = compile_pattern(r"\d")


@dataclass(frozen=True)
class Target:
    """A URL that passed the checks, with the addresses its host resolved to."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        """The Host header of a request to the target (the connection goes to an address, not to the name)."""
        return self.host if self.port in (80, 443) else f"{self.host}:{self.port}"


def check_url(
    url: object, *, allow_private: bool, resolve: Literal["required", "optional", "skip"] = "required"
) -> Target:
    """The checked Target; INVALID_URL / URL_NOT_ALLOWED (400) otherwise.

    resolve: "required" (connecting: a host that does not resolve is UPSTREAM_UNREACHABLE), "optional"
    (validating ahead of a fetch: addresses are checked when DNS answers) or "skip" (only what the
    URL itself spells is checked, no DNS).
    """
    scheme, host, port, path = _parse(url)
    assert isinstance(url, str)  # _parse refused anything else
    literal = _literal_address(host)
    if literal is not None:
        _check_address(literal, allow_private, url)
        return Target(url, scheme, host, port, path, (str(literal),))
    if host == "localhost" or host.endswith(".localhost"):
        _check_address(ipaddress.ip_address("127.0.0.1"), allow_private, url)
    if resolve == "skip":
        return Target(url, scheme, host, port, path, ())
    try:
        addresses = _resolve(host, port)
    except UpstreamError:
        if resolve == "optional":
            return Target(url, scheme, host, port, path, ())
        raise
    for address in addresses:
        _check_address(address, allow_private, url)
    return Target(url, scheme, host, port, path, tuple(str(address) for address in addresses))


class FetchDeadline:
    """One connection's deadline: the time left for each step, and a timer that shuts the sockets down when it
    passes. A socket timeout bounds each read only, so a server sending a byte a second would never trip it."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Shut this socket down at the deadline (through a duplicate, so the fetch's own closing races nothing)."""
        with self._lock:
            self._sockets.append(sock.dup())
            if self._timer is None:
                self._timer = threading.Timer(max(0.0, self.remaining()), self._expire)
                self._timer.daemon = True
                self._timer.start()

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            for sock in self._sockets:
                sock.close()
            self._sockets = []

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def connection(
    target: Target, address: str, timeout: float, limit: FetchDeadline
) -> HTTPConnection | HTTPSConnection:
    """A connection to the checked address (TLS still names and verifies the URL's host) whose socket the
    deadline watches."""
    if target.scheme == "https":
        return _WatchedHTTPSConnection(
            address,
            target.port,
            timeout=timeout,
            deadline=limit,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
        )
    return _WatchedHTTPConnection(address, target.port, timeout=timeout, deadline=limit)


class _Watched:
    """A connection whose sockets its deadline shuts down (mixed into urllib3's two connection classes)."""

    def __init__(self, *args: Any, deadline: FetchDeadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]  # the connection class's, after this one
        self._deadline.watch(sock)
        return sock


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


def _parse(url: object) -> tuple[str, str, int, str]:
    if not isinstance(url, str) or not url.strip():
        raise ValidationError("url is required", code="INVALID_URL", details={"field": "url"})
    if len(url) > 4096 or any(ord(char) < 33 for char in url.strip()):
        raise ValidationError("url is not a valid URL", code="INVALID_URL", details={"field": "url"})
    parts = urlsplit(url.strip())
    if not parts.scheme or (parts.scheme.lower() in ("http", "https") and not parts.netloc):
        raise ValidationError("url must be an absolute http(s) URL", code="INVALID_URL", details={"url": url})
    if parts.scheme.lower() not in ("http", "https"):
        raise ApiError(
            "Only http and https URLs can be fetched",
            code="URL_NOT_ALLOWED",
            status_code=400,
            details={"url": url, "scheme": parts.scheme},
        )
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        host = (parts.hostname or "").rstrip(".")
        host = host.encode("idna").decode("ascii").lower() if host else ""
    except (ValueError, UnicodeError):
        raise ValidationError(
            "url has an invalid host or port", code="INVALID_URL", details={"url": url}
        ) from None
    if not host:
        raise ValidationError("url has no host", code="INVALID_URL", details={"url": url})
    if parts.username or parts.password:
        raise ValidationError(
            "URLs with credentials are not accepted", code="INVALID_URL", details={"url": url}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme.lower(), host, port, path


def _literal_address(host: str) -> IPAddress | None:
    """The IP a host spells itself, including legacy IPv4 forms (2130706433, 0x7f.1, 0177.0.0.1)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host) and _DIGIT.search(host):
        try:
            return ipaddress.ip_address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _check_address(address: IPAddress, allow_private: bool, url: str) -> None:
    address = _embedded_ipv4(address) or address
    if address.is_link_local or address.is_multicast or address.is_unspecified:
        _refuse(url, address)
    if _is_global(address) or (allow_private and (address.is_loopback or address.is_private)):
        return
    _refuse(url, address)


def _is_global(address: IPAddress) -> bool:
    """Reachable on the public internet. `ipaddress` misses newer special ranges (5f00::/16, 64:ff9b:1::/48,
    IPv4-compatible and -translated IPv6), so IPv6 must also be global unicast (2000::/3) outside the
    documentation and IETF ranges."""
    if address.version == 4:
        return address.is_global and not any(address in network for network in _NON_GLOBAL_V4)
    return (
        address in _GLOBAL_UNICAST_V6
        and address.is_global
        and not any(address in network for network in _NON_GLOBAL_V6)
    )


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries in a form that routes to it (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _refuse(url: str, address: IPAddress) -> None:
    raise ApiError(
        "This URL points into a private or reserved network and cannot be fetched",
        code="URL_NOT_ALLOWED",
        status_code=400,
        details={"url": url, "address": str(address)},
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UpstreamError(
            f"The host {host} could not be found", code="UPSTREAM_UNREACHABLE", details={"host": host}
        ) from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses
