"""A mail server on loopback (aiosmtpd): it speaks real SMTP, with STARTTLS and AUTH when asked to.

    with SmtpServer() as smtp:                         # plain SMTP on 127.0.0.1:<port>
        smtp.settings()                                # the SMTP_* settings that reach it
        smtp.wait_for_messages(1)                      # [email.message.EmailMessage] received, in order
    with SmtpServer(tls=(cert, key), logins={"mailer": "s3cret"}):   # STARTTLS required before AUTH and mail

Each received message keeps what the session was like: `smtp.sessions[i]` is {"tls", "login", "to"}.
"""

import email
import email.policy
import socket
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, tls=None, logins=None):
        self.messages = []
        self.sessions = []
        self.refused_logins = 0
        self._logins = logins or {}
        options = {}
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            options.update(tls_context=context, require_starttls=True)
        if logins:
            options.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=bool(tls))
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    def settings(self, **extra):
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_STARTTLS": False, **extra}

    def wait_for_messages(self, count, timeout=15):
        """The first `count` messages, once that many arrived (AssertionError after timeout seconds)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} messages arrived, {count} expected"
            time.sleep(0.02)
        return self.messages[:count]

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        good = (
            isinstance(auth_data, LoginPassword)
            and self._logins.get(auth_data.login.decode()) == auth_data.password.decode()
        )
        self.refused_logins += not good
        return AuthResult(success=good, auth_data=auth_data.login.decode() if good else None)

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd's hook for a message it accepted."""
        self.sessions.append(
            {
                "tls": session.ssl is not None,
                "login": session.auth_data if session.authenticated else None,
                "to": list(envelope.rcpt_tos),
            }
        )
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()
