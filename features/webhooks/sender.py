"""One POST of a signed callback to a receiver, under the same address rules as product URLs.

The URL is checked again at every attempt (its host may resolve elsewhere since it was accepted), the
connection goes to the address that was checked, one deadline covers connect, send and the receiver's status
line, no redirect is followed (a 3xx is an answer that is not 2xx) and the receiver's body is never read.
"""

import ssl
import time
from dataclasses import dataclass
from http.client import HTTPException

from urllib3.exceptions import HTTPError, NewConnectionError, TimeoutError as Urllib3TimeoutError

from shared import outbound
from shared.errors import ApiError

NOT_ALLOWED, UNREACHABLE, TIMEOUT = "CALLBACK_URL_NOT_ALLOWED", "UNREACHABLE", "TIMEOUT"


@dataclass(frozen=True)
class Answer:
    """What one attempt got: the receiver's HTTP status, or why there was none (`error`)."""

    status: int | None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool, timeout: float) -> Answer:
    """POST body to url; the receiver's status, or NOT_ALLOWED / UNREACHABLE / TIMEOUT."""
    try:
        target = outbound.check_url(url, allow_private=allow_private)
    except ApiError as error:
        return Answer(None, UNREACHABLE if error.code == "UPSTREAM_UNREACHABLE" else NOT_ALLOWED)
    limit = outbound.FetchDeadline(time.monotonic() + timeout)
    try:
        for address in target.addresses:
            if limit.remaining() <= 0:
                break
            connection = outbound.connection(target, address, limit.remaining(), limit)
            try:
                connection.request(
                    "POST",
                    target.path,
                    body=body,
                    headers={**headers, "Host": target.host_header},
                    preload_content=False,
                )
                return Answer(connection.getresponse().status)
            except NewConnectionError:  # urllib3 derives it from its ConnectTimeoutError: tested first
                pass
            except (TimeoutError, Urllib3TimeoutError):
                return Answer(None, TIMEOUT)
            except (ssl.SSLError, HTTPError, HTTPException, OSError):
                if limit.expired:
                    return Answer(None, TIMEOUT)
            finally:
                connection.close()
        return Answer(None, TIMEOUT if limit.expired or limit.remaining() <= 0 else UNREACHABLE)
    finally:
        limit.close()
