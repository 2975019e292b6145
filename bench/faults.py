"""The dependency failures bench/outage.py puts two instances through, each for 10 s:

- Redis stopped (connections refused);
- Redis paused (SIGSTOP: connections accepted, nothing answered, as a hung server);
- the database black-holed (PostgreSQL only): the instances reach PostgreSQL through a
  local proxy that, for the window, drops their connections and accepts new ones without
  ever answering.
"""

import signal
import socket
import subprocess
import threading
import time
from urllib.parse import urlsplit, urlunsplit


class RedisStopped:
    name = "Redis stopped"
    edits_during = True  # the database is up: edits must still reach both instances

    def __init__(self, start_redis, port: int):
        self.start_redis, self.port = start_redis, port
        self.process = start_redis(port)

    def begin(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def end(self):
        self.process = self.start_redis(self.port)

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


class RedisPaused(RedisStopped):
    name = "Redis paused"

    def begin(self):
        self.process.send_signal(signal.SIGSTOP)

    def end(self):
        self.process.send_signal(signal.SIGCONT)


class DatabaseBlackHoled:
    """A TCP proxy in front of PostgreSQL; `begin` cuts every connection through it and
    holds new ones silently, `end` forwards again."""

    name = "database black-holed"
    edits_during = False  # the instances cannot read them until it is back

    def __init__(self, database_url: str):
        parts = urlsplit(database_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.listener.getsockname()[1]
        netloc = f"{parts.username or 'postgres'}@127.0.0.1:{self.port}"
        self.database_url = urlunsplit(parts._replace(netloc=netloc))
        self.holed = False
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        self.held: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if self.holed:
                    self.held.append(client)  # accepted; never a word
                    continue
                upstream = socket.create_connection(self.target)
                self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def begin(self):
        with self.lock:
            self.holed = True
            for end in self.open:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.open = []

    def end(self):
        with self.lock:
            self.holed = False
            for held in self.held:
                held.close()
            self.held = []

    def close(self):
        self.end()
        self.listener.close()


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return process
