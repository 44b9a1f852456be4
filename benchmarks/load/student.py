"""One simulated student: a browser tab of the app, driven over Streamlit's websocket protocol.

What a browser does, and so what a student here does:

1. ``GET /`` (a balancer with cookie affinity answers with the cookie that pins this tab to one
   server process), ``GET /_stcore/health`` and ``/_stcore/host-config``, then opens the
   ``/_stcore/stream`` websocket with that cookie.
2. Sends a ``BackMsg.rerun_script`` with the page's query string, and receives the run's
   ForwardMsgs: ``new_session`` when a run starts, ``navigation`` (the current page's hash),
   ``delta``s (the elements; a widget carries its id, label and value), ``page_info_changed`` (the
   query the page wrote into the URL) and ``script_finished``.
3. Keeps every widget's value as the browser's widget manager does (the element's value when a
   new widget id appears, the user's value once it was moved; widgets a finished run did not
   draw are dropped), and sends them all with each rerun request, with the current URL query
   and the hashes of the large messages it already holds (the server then sends only a
   reference to them, as it does to a browser).

Nothing here renders anything; a move counts as rendered when the finished run drew the moved
slider under the same id (so the browser keeps showing the moved value) and wrote that value
into the URL (so the server computed the page from it).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


@dataclass
class Finish:
    """A script run that finished: when, how, and what the page showed afterwards."""

    at: float
    status: int
    query: str
    widget_ids: dict[str, str]  # label -> id of the widgets this run drew
    errors: list[str]


@dataclass
class Student:
    host: str
    port: int
    name: str
    cookie: str = ""
    worker: str = ""  # the balancer's affinity cookie value: which process serves this tab
    query: str = ""
    page_script_hash: str = ""
    widgets: dict[str, WidgetState] = field(default_factory=dict)
    finishes: list[Finish] = field(default_factory=list)
    _run_widgets: dict[str, WidgetState] = field(default_factory=dict)
    _run_labels: dict[str, str] = field(default_factory=dict)
    _drawn: dict[str, str] = field(default_factory=dict)  # label -> id of the widget on the page
    _run_errors: list[str] = field(default_factory=list)
    _cache: dict[str, int] = field(default_factory=dict)  # message hash -> run it was last seen
    _runs: int = 0
    _max_cached_age: int = 2
    _ws: object = None
    _reader: asyncio.Task | None = None
    _finished: asyncio.Condition | None = None
    closed_error: str = ""

    # --- connecting -------------------------------------------------------------------------

    async def open(self, query: str = "") -> float:
        """Open the page as a browser does; returns the time the first run took to finish."""
        began = time.perf_counter()
        headers = await self._http_get("/")
        for name, value in headers:
            if name == "set-cookie":
                pair = value.split(";", 1)[0].strip()
                self.cookie = f"{self.cookie}; {pair}" if self.cookie else pair
                self.worker = pair.split("=", 1)[1]
        await self._http_get("/_stcore/health")
        await self._http_get("/_stcore/host-config")
        extra = {"Origin": f"http://{self.host}:{self.port}"}
        if self.cookie:
            extra["Cookie"] = self.cookie
        self._ws = await connect(f"ws://{self.host}:{self.port}/_stcore/stream",
                                 subprotocols=["streamlit"], additional_headers=extra,
                                 max_size=None, open_timeout=30, ping_interval=None)
        self._finished = asyncio.Condition()
        self._reader = asyncio.create_task(self._read(), name=f"{self.name}-reader")
        self.query = query
        seen = len(self.finishes)
        await self.rerun()
        first = await self.wait_finished(seen, timeout=60)
        if first.errors:
            raise RuntimeError(f"the page opened with {'; '.join(first.errors)}")
        return time.perf_counter() - began

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass

    async def _http_get(self, path: str) -> list[tuple[str, str]]:
        """A minimal HTTP/1.1 GET (the balancer only needs to see one to set its cookie)."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        cookie = f"Cookie: {self.cookie}\r\n" if self.cookie else ""
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{cookie}"
                     "Connection: close\r\n\r\n".encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout=30)
        writer.close()
        head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        if not head or " 200 " not in head[0] + " ":
            raise ConnectionError(f"GET {path}: {head[0] if head else 'no answer'}")
        return [(line.split(":", 1)[0].strip().lower(), line.split(":", 1)[1].strip())
                for line in head[1:] if ":" in line]

    # --- what the browser sends -------------------------------------------------------------

    async def rerun(self) -> float:
        """Send a rerun request with every widget's value, as the browser does after a change.
        Returns when it was sent."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        state.widget_states.widgets.extend(self.widgets.values())
        state.cached_message_hashes.extend(self._cache)
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-US"
        state.context_info.url = f"http://{self.host}:{self.port}/?{self.query}"
        state.context_info.is_embedded = False
        state.context_info.color_scheme = "light"
        await self._ws.send(message.SerializeToString())
        return time.perf_counter()

    async def move_slider(self, label: str, value: float) -> float:
        """Release the slider ``label`` at ``value`` (the browser sends the move at once)."""
        widget_id = self.widget_id(label)
        state = WidgetState(id=widget_id)
        state.double_array_value.data.append(float(value))
        self.widgets[widget_id] = state
        return await self.rerun()

    def widget_id(self, label: str) -> str:
        """The id of the widget ``label`` on the page now: as the latest run that drew it drew
        it (a run stopped early for a rerun leaves the earlier elements in place)."""
        if label not in self._drawn:
            raise LookupError(f"{self.name}: no widget labelled {label!r} on the page")
        return self._drawn[label]

    # --- what the browser receives ----------------------------------------------------------

    async def wait_finished(self, seen: int, timeout: float) -> Finish:
        """The first successfully finished run after the first ``seen`` finishes."""
        async def first_new() -> Finish:
            async with self._finished:
                while True:
                    for finish in self.finishes[seen:]:
                        if finish.status == FINISHED:
                            return finish
                    if self.closed_error:
                        raise ConnectionError(self.closed_error)
                    await self._finished.wait()

        return await asyncio.wait_for(first_new(), timeout)

    def rendered(self, finish: Finish, label: str, key: str) -> tuple[float | None, str | None]:
        """What the page showed after ``finish``: the slider's value in the browser (None if
        the run drew no such slider) and the query's value of ``key`` (None if absent)."""
        widget_id = finish.widget_ids.get(label)
        state = self.widgets.get(widget_id) if widget_id else None
        shown = state.double_array_value.data[0] if state and state.double_array_value.data \
            else None
        written = parse_qs(finish.query).get(key, [None])[0]
        return shown, written

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                message = ForwardMsg()
                message.ParseFromString(data)
                await self._handle(message)
        except Exception as error:  # the connection went away: waiters must hear of it
            self.closed_error = f"{type(error).__name__}: {error}"
        else:
            self.closed_error = "connection closed"
        async with self._finished:
            self._finished.notify_all()

    async def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if message.metadata.cacheable and message.hash:
            self._cache[message.hash] = self._runs
        if kind == "ref_hash":
            self._cache[message.ref_hash] = self._runs
        elif kind == "new_session":
            session = message.new_session
            self._run_widgets, self._run_labels, self._run_errors = {}, {}, []
            if session.config.max_cached_message_age:
                self._max_cached_age = session.config.max_cached_message_age
            if not self.page_script_hash:
                self.page_script_hash = session.page_script_hash
        elif kind == "navigation":
            if message.navigation.page_script_hash:
                self.page_script_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._element(message.delta.new_element)
        elif kind == "session_event":
            event = message.session_event
            if event.WhichOneof("type") == "script_compilation_exception":
                self._run_errors.append("script compilation exception")
        elif kind == "script_finished":
            self._script_finished(message.script_finished)
            async with self._finished:
                self._finished.notify_all()

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self._run_errors.append(f"exception: {element.exception.type}: "
                                    f"{element.exception.message[:200]}")
            return
        proto = getattr(element, kind)
        widget_id = getattr(proto, "id", "")
        if not widget_id:
            return
        label = getattr(proto, "label", "")
        if label:
            self._run_labels[label] = self._drawn[label] = widget_id
        initial = _initial_state(kind, proto)
        if initial is not None:
            if widget_id not in self.widgets or getattr(proto, "set_value", False):
                self.widgets[widget_id] = initial
            self._run_widgets[widget_id] = self.widgets[widget_id]

    def _script_finished(self, status: int) -> None:
        if status == FINISHED:
            # The browser forgets the widgets the finished run did not draw, and ages its
            # cache of large messages by one run.
            self.widgets = dict(self._run_widgets)
            self._runs += 1
            self._cache = {h: run for h, run in self._cache.items()
                           if self._runs - run <= self._max_cached_age}
        self.finishes.append(Finish(time.perf_counter(), status, self.query,
                                    dict(self._run_labels), list(self._run_errors)))


def _initial_state(kind: str, proto) -> WidgetState | None:
    """The value a browser widget reports on being drawn (None for widgets that report nothing
    until they are used: buttons, download buttons, components, charts)."""
    state = WidgetState(id=proto.id)
    if kind == "slider":
        positions = proto.value if proto.set_value else proto.default
        if proto.type == proto.Type.SELECT_SLIDER:  # st.select_slider: the options' labels
            state.string_array_value.data.extend(proto.options[int(i)] for i in positions)
        else:
            state.double_array_value.data.extend(positions)
    elif kind == "number_input":
        if proto.set_value and proto.HasField("value"):
            state.double_value = proto.value
        elif proto.HasField("default"):
            state.double_value = proto.default
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "selectbox":
        if proto.set_value and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif proto.HasField("default") and proto.options:
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "multiselect":
        values = proto.raw_values if proto.set_value else [proto.options[i]
                                                             for i in proto.default]
        state.string_array_value.data.extend(values)
    else:
        return None
    return state
