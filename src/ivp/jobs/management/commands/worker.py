"""`ivp worker`: carry out the queued background tasks and the scheduled jobs (docs/operations.md)."""

import json
import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from ivp.jobs.scheduler import schedule_overview
from ivp.jobs.worker import IvpWorker


class Command(BaseCommand):
    help = ("Run the background worker: carry out queued tasks (report runs, imports, e-mail) and enqueue the "
            "scheduled jobs when they are due. Runs until stopped (SIGTERM/Ctrl-C finish the current task "
            "first); --burst carries out what is due and queued, then exits.")

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true",
                            help="enqueue the due scheduled jobs, carry out every queued task, then exit")
        parser.add_argument("--max-tasks", type=int, default=None,
                            help="exit after carrying out this many tasks")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds to wait when the queue is empty before looking again (default 1)")
        parser.add_argument("--queue", default="*",
                            help="the queues to work on, separated by commas (default: all)")
        parser.add_argument("--no-schedule", action="store_true",
                            help="do not enqueue scheduled jobs (another worker does)")
        parser.add_argument("--worker-id", default=None, help="a unique name of this worker (default: random)")
        parser.add_argument("--schedule", action="store_true",
                            help="print the scheduled jobs with their last and next run (JSON) and exit")

    def handle(self, *args, **options):
        if options["schedule"]:
            self.stdout.write(json.dumps(schedule_overview(), indent=2, ensure_ascii=False))
            return
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError("The task backend is not the database (IVP_TASK_BACKEND=database): there is no "
                               "queue for a worker; tasks run at once where they are enqueued.")
        max_tasks = options["max_tasks"]
        if max_tasks is not None and max_tasks < 1:
            raise CommandError("--max-tasks must be at least 1.")
        if options["interval"] < 0:
            raise CommandError("--interval must be 0 or more.")
        self._configure_logging(options["verbosity"])
        worker = IvpWorker(
            queue_names=[name.strip() for name in options["queue"].split(",") if name.strip()] or ["*"],
            interval=options["interval"],
            batch=options["burst"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["burst"],
            max_tasks=max_tasks,
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
            schedule=not options["no_schedule"],
        )
        # SIGTERM/SIGINT finish the current task, then stop; the previous handlers come back afterwards (a
        # --burst run inside another program, e.g. the tests). Signals can only be set in the main thread.
        in_main_thread = threading.current_thread() is threading.main_thread()
        signals = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])
        previous = {number: signal.getsignal(number) for number in signals} if in_main_thread else {}
        if in_main_thread:
            worker.configure_signals()
        try:
            worker.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _configure_logging(self, verbosity: int) -> None:
        """-v 0: warnings only; -v 2 or more: debug (the handlers are in settings.LOGGING)."""
        if verbosity == 1:
            return
        level = logging.WARNING if verbosity == 0 else logging.DEBUG
        for name in ("ivp.jobs", "django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
