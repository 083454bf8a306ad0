"""An import killed with SIGKILL in the middle of writing leaves the database exactly as it was, and a re-run
completes.

`ivp import_opendata` runs in a subprocess against a database of its own (a temporary SQLite file, or a scratch
PostgreSQL database when the suite runs on PostgreSQL) that already holds a known state: the plan and an earlier
import of a part of the real snapshot. To catch the import in its writing stage deterministically (no test hook
in the code), the test holds a database lock that the import needs only to finish writing:

- SQLite: a read transaction (SHARED lock). The import reads and writes (its rollback journal appears), but
  cannot COMMIT while a reader holds the file; it waits (busy timeout) with all its writes made.
- PostgreSQL: `LOCK TABLE indicators_observation IN SHARE MODE`. The import writes its batch, categories, areas,
  populations ..., then waits for the lock to insert observations (seen in pg_stat_activity: a backend with a
  transaction id, waiting for a lock).

Then the process is killed with SIGKILL, the lock released, and a full dump (every row of every model) compared
with the one taken before.
"""

import json
import shutil
import signal
import subprocess
import time

from ivp.opendata.snapshot.pipeline import read_snapshot

from .scratch import scratch_database

PLAN = "plans/meierij-ivp-2023-2026.yaml"


def _wait(condition, what: str, process: subprocess.Popen, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the import ended ({process.returncode}) before {what}:\n{out}\n{err}")
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


class SqliteWriteBarrier:
    def __init__(self, scratch):
        self.scratch = scratch
        self.journal = scratch.sqlite_path.with_name(scratch.sqlite_path.name + "-journal")

    def __enter__(self):
        self.reader = self.scratch.connect()
        self.reader.execute("BEGIN")
        self.reader.execute("SELECT count(*) FROM indicators_observation").fetchone()  # SHARED lock until ROLLBACK
        return self

    def writing(self) -> bool:
        """The import has begun writing: its rollback journal holds the pages it changed."""
        return self.journal.exists() and self.journal.stat().st_size > 0

    def settled(self) -> bool:
        """All its writes made: the journal stops growing while it waits to commit."""
        size = self.journal.stat().st_size if self.journal.exists() else -1
        time.sleep(0.3)
        return size > 0 and self.journal.exists() and self.journal.stat().st_size == size

    def __exit__(self, *exc):
        self.reader.execute("ROLLBACK")
        self.reader.close()


class PostgresWriteBarrier:
    def __init__(self, scratch):
        self.scratch = scratch

    def __enter__(self):
        self.holder = self.scratch.connect()
        self.holder.execute("LOCK TABLE indicators_observation IN SHARE MODE")
        self.holder_pid = self.holder.info.backend_pid
        self.monitor = self.scratch.connect(autocommit=True)
        return self

    def _others(self):
        return self.monitor.execute(
            "SELECT backend_xid IS NOT NULL, wait_event_type FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
            [self.holder_pid]).fetchall()

    def writing(self) -> bool:
        """A backend of the import has a transaction id (it wrote rows) and waits for our lock."""
        return any(has_xid and wait == "Lock" for has_xid, wait in self._others())

    def settled(self) -> bool:
        return self.writing()

    def __exit__(self, *exc):
        self.holder.rollback()
        self.holder.close()
        # The killed client's backend notices the closed connection, rolls back and ends.
        deadline = time.monotonic() + 30
        while self._others() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.monitor.close()


def test_an_import_killed_while_writing_changes_nothing_and_a_rerun_completes(tmp_path, shared_data):
    subset = tmp_path / "subset"
    for folder in ("reference", "population"):
        shutil.copytree(shared_data / folder, subset / folder)
    with scratch_database(tmp_path) as scratch:
        scratch.ivp("migrate", "--skip-checks", "-v0")
        scratch.ivp("load_plan", "--skip-checks", PLAN)
        scratch.ivp("import_opendata", "--skip-checks", str(subset))  # an earlier import of a part
        before = scratch.dump(tmp_path)
        assert before["indicators.importbatch"] and not before["indicators.observation"]

        barrier = (SqliteWriteBarrier if scratch.vendor == "sqlite" else PostgresWriteBarrier)(scratch)
        with barrier:
            process = scratch.popen("import_opendata", "--skip-checks", "--progress", str(shared_data),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                _wait(barrier.writing, "it began writing", process)
                _wait(barrier.settled, "its writes were made", process)
                assert process.poll() is None, "the import finished although it could not commit"
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            progress = process.stderr.read()
            process.stdout.close()
            process.stderr.close()
        assert process.returncode == -signal.SIGKILL
        assert progress.strip()  # it had been reading the files (progress lines on stderr)

        assert scratch.dump(tmp_path) == before

        rerun = scratch.ivp("import_opendata", "--skip-checks", str(shared_data))
        assert "cijfers +" in rerun.stdout  # the summary line (Dutch: "cijfers +N/~M")
        after = scratch.dump(tmp_path)
        expected = read_snapshot(shared_data)
        observations = after["indicators.observation"]
        assert len(observations) == len(expected.observations)
        assert len(after["areas.area"]) == len(expected.areas)
        assert len(after["areas.population"]) == len(expected.populations)
        assert len(after["indicators.importbatch"]) == 2
        by_table = {}
        for row in observations:
            fields = row["fields"]
            by_table[fields["table"]] = by_table.get(fields["table"], 0) + (fields["value"] or 0)
        assert by_table == {table: sum(o.value or 0 for o in expected.observations.values() if o.table == table)
                            for table in by_table}
        # Everything written before the killed run is still there, unchanged.
        for label, rows in before.items():
            # (the figures' state token changes with every import that writes: ivp.indicators.cache)
            if label not in ("indicators.importbatch", "core.auditevent", "areas.area", "indicators.figuresstate"):
                assert all(row in after[label] for row in rows), label
        assert json.dumps(after["core.auditevent"][: len(before["core.auditevent"])]) == \
            json.dumps(before["core.auditevent"])
