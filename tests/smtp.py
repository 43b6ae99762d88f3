"""A real SMTP server on 127.0.0.1 for the outbox tests (aiosmtpd, in a thread of the test
process), which can refuse the next messages with a temporary error (451)."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Accepts mail on `port`; `refuse(n)` makes it answer the next n messages with 451."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Message] = []
        self.refused = 0
        self._to_refuse = 0
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def refuse(self, count: int) -> None:
        with self._lock:
            self._to_refuse = count

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        with self._lock:
            if self._to_refuse:
                self._to_refuse -= 1
                self.refused += 1
                return "451 4.3.0 Coba lagi nanti"
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 2.0.0 OK"

    def message_ids(self) -> list[str]:
        with self._lock:
            return [message["Message-ID"] for message in self.messages]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    try:
        yield server
    finally:
        server.controller.stop()
