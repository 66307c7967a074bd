"""The bridge runs engine work off the GUI thread and answers on it."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from engine.api import Job
from engine.errors import Cancelled, EngineError


class Lib:
    pass


def test_call_runs_off_the_gui_thread_and_answers_on_it(qtbot):  # type: ignore[no-untyped-def]
    from app.bridge import EngineBridge

    bridge = EngineBridge(Lib())
    ran_on: list[threading.Thread] = []
    answered_on: list[bool] = []
    results: list[int] = []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 42

    def done(value: int) -> None:
        answered_on.append(QThread.currentThread() is bridge.thread())
        results.append(value)

    bridge.call(work, done)
    qtbot.waitUntil(lambda: results == [42], timeout=3000)
    assert ran_on[0] is not threading.main_thread()
    assert answered_on == [True]
    bridge.shutdown()


def test_errors_go_to_on_error_or_unhandled_but_cancelled_is_dropped(qtbot):  # type: ignore[no-untyped-def]
    from app.bridge import EngineBridge

    bridge = EngineBridge(Lib())
    unhandled: list[BaseException] = []
    bridge.unhandled_error.connect(unhandled.append)
    caught: list[BaseException] = []

    def fail() -> None:
        raise EngineError("nope")

    def cancelled() -> None:
        raise Cancelled()

    bridge.call(fail, on_error=caught.append)
    bridge.call(fail)
    bridge.call(cancelled)
    marker: list[bool] = []
    bridge.call(lambda: None, lambda _: marker.append(True))  # the lane runs calls in order
    qtbot.waitUntil(lambda: marker == [True], timeout=3000)
    assert [e.user_message for e in caught] == ["nope"]
    assert [type(e) for e in unhandled] == [EngineError]
    bridge.shutdown()


def test_cancelled_call_drops_its_result(qtbot):  # type: ignore[no-untyped-def]
    from app.bridge import EngineBridge

    bridge = EngineBridge(Lib())
    got: list[int] = []
    call = bridge.call(lambda: time.sleep(0.05) or 1, got.append)
    call.cancel()
    marker: list[bool] = []
    bridge.call(lambda: None, lambda _: marker.append(True))
    qtbot.waitUntil(lambda: marker == [True], timeout=3000)
    assert got == []
    bridge.shutdown()


def test_job_progress_is_coalesced_and_the_result_arrives(qtbot):  # type: ignore[no-untyped-def]
    from app.bridge import EngineBridge

    bridge = EngineBridge(Lib())
    seen: list[int] = []
    done: list[str] = []

    def work(token, report):  # type: ignore[no-untyped-def]
        for i in range(1, 2001):
            report(i)
        return "finished"

    bridge.start_job(lambda report: Job("t", work, report).start(), seen.append, done.append)
    qtbot.waitUntil(lambda: done == ["finished"], timeout=3000)
    assert seen == sorted(seen) and len(seen) < 2000  # coalesced, in order
    assert bridge.running_jobs() == []
    bridge.shutdown()


def test_pause_asked_before_the_job_started_is_applied(qtbot):  # type: ignore[no-untyped-def]
    from app.bridge import EngineBridge

    bridge = EngineBridge(Lib())
    gate = threading.Event()
    bridge.call(gate.wait)  # keeps the engine lane busy, so the job has not started yet
    reached: list[int] = []

    def work(token, report):  # type: ignore[no-untyped-def]
        report(1)
        reached.append(1)
        return "ok"

    handle = bridge.start_job(lambda report: Job("t", work, report).start())
    handle.pause()
    assert handle.paused
    gate.set()
    qtbot.wait(150)
    assert reached == []  # held at its first progress point
    handle.resume()
    qtbot.waitUntil(lambda: reached == [1], timeout=3000)
    bridge.shutdown()


def test_shutdown_waits_for_a_result_being_emitted_and_later_ones_are_dropped(qtbot):  # type: ignore[no-untyped-def]
    """A job's waiter thread may be emitting its result just as the app quits; shutdown()
    returns only after that emit, so the bridge is never destroyed under it (a segfault at exit
    before), and nothing is emitted once it has returned."""
    from PySide6.QtCore import Qt

    from app.bridge import EngineBridge

    bridge = EngineBridge(Lib())
    order: list[str] = []
    emitting = threading.Event()

    def slow_receiver(job_id: int, ok: bool, value: object) -> None:  # runs on the waiter thread
        emitting.set()
        time.sleep(0.3)
        order.append("emitted")

    bridge._job_done.connect(slow_receiver, Qt.ConnectionType.DirectConnection)
    bridge.start_job(lambda report: Job("t", lambda token, report: "ok", report).start())
    assert emitting.wait(5)
    bridge.shutdown()
    order.append("shut down")
    assert order == ["emitted", "shut down"]
    bridge._emit(bridge._job_done, 99, True, "late")
    assert order == ["emitted", "shut down"]
