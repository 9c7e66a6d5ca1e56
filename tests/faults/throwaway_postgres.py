"""A PostgreSQL server of a test's own, to restart or stop without touching anyone else's.

It uses the binaries of the embedded server the project already depends on
(the pgserver wheel), in a temporary data directory, on a free local port.
"""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pgserver

from tests.live_server import free_port

BIN = Path(pgserver.__file__).parent / "pginstall" / "bin"


class ThrowawayPostgres:
    def __init__(self):
        root = Path(tempfile.mkdtemp(prefix="kehu-fault-pg-"))
        self.data, self.sockets = root / "data", root / "sock"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: as pgserver does, use its user
            from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

            self.user = "pgserver"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(BIN)
            root.chmod(0o755)
        self.sockets.mkdir()
        if self.user:
            shutil.chown(root, self.user)
            shutil.chown(self.sockets, self.user)

    def _run(self, *args: str, check: bool = True) -> None:
        subprocess.run([str(BIN / args[0]), *args[1:]], check=check, capture_output=True,
                       env={**os.environ, "LC_ALL": "C"}, user=self.user)

    def init(self) -> "ThrowawayPostgres":
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=50")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l",
                  str(self.data / "server.log"), "start")

    def stop(self) -> None:
        """Fast shutdown: open sessions are ended, committed work is on disk."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.data.parent, ignore_errors=True)
