"""What every page shows of a teacher's link (``ui/classroom.py``): its title and note on top,
its hidden and locked controls, presentation mode, and the "Share with students" panel that
makes such a link.

A page wraps each group of its controls in ``control(ps, name)``: a container keyed
``control-<name>`` that the page's CSS hides, or dims and the browser makes inert (no click,
no focus, no key reaches it) when the link locks it.

The page's script also sends the playback keys pressed on the page (not in a field) to the
player in view (``press`` in ``ui/player/player.js``), so space, the arrows, Home, End,
PageUp and PageDown (a presenter's clicker) work without a click on the map first; in
presentation mode Esc leaves, and A (or PageDown at the run's last step) shows a lesson's
answer above the map.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import replace

import streamlit as st

from ui import classroom, inputs, page_state, presentation

_SCRIPT = """
<script>
(() => {
  // Locked controls: inert (no click, focus or key reaches them); in presentation mode, Esc
  // (in the page or in any of its frames) presses the Leave button. The playback keys
  // (space, arrows, Home, End, PageUp, PageDown: a presenter's clicker; A: a lesson's answer
  // in presentation mode) pressed on the page go to the player in view, so they work without
  // a click on the map first.
  const settings = %s;
  window.__descentLab = settings;
  const lock = () => {
    for (const name of window.__descentLab.locked)
      for (const box of document.querySelectorAll(`[class*="st-key-control-${name}--"]`))
        if (!box.inert) box.inert = true;
  };
  const onKey = (event) => {
    if (event.key !== "Escape" || !window.__descentLab.present) return;
    const leave = document.querySelector(".st-key-%s button");
    if (leave) { event.preventDefault(); leave.click(); }
  };
  // The player whose map shows most on the screen (at least half of it), or null.
  const playerInView = () => {
    let best = null, most = 0;
    for (const frame of document.querySelectorAll('iframe[src*="descent_lab_player"]')) {
      let player, plot;
      try {
        player = frame.contentWindow.descentLab;
        plot = frame.contentDocument.getElementById("plot");
      } catch (error) { continue; }
      if (!player || !player.manifest || !plot) continue;
      const f = frame.getBoundingClientRect(), p = plot.getBoundingClientRect();
      const left = f.left + p.left, top = f.top + p.top;
      const w = Math.min(left + p.width, innerWidth) - Math.max(left, 0);
      const h = Math.min(top + p.height, innerHeight) - Math.max(top, 0);
      const shown = Math.max(w, 0) * Math.max(h, 0);
      if (shown >= 0.5 * p.width * p.height && shown > most) { best = player; most = shown; }
    }
    return best;
  };
  const PLAYBACK = [" ", "Spacebar", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp",
                    "PageDown", "a", "A"];
  const EDITS = 'input, textarea, select, [contenteditable="true"], [role="slider"], ' +
    '[role="combobox"], [role="listbox"], [role="option"], [role="menu"], [role="tab"], ' +
    '[role="radiogroup"], [role="spinbutton"]';
  const onPlaybackKey = (event) => {
    if (event.defaultPrevented || !PLAYBACK.includes(event.key)) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const focus = document.activeElement;
    if (focus && focus !== document.body && focus.closest(EDITS)) return;  // typing, choosing
    const space = event.key === " " || event.key === "Spacebar";
    if (space && focus && focus.closest("button, a, summary")) return;  // it presses them
    const player = playerInView();
    if (player && player.press(event.key)) event.preventDefault();
  };
  const listen = () => {
    for (const frame of document.querySelectorAll("iframe")) {
      try {
        const win = frame.contentWindow;
        if (win && !win.__descentLabEsc) {
          win.addEventListener("keydown", onKey, true);
          win.__descentLabEsc = true;
        }
      } catch (error) { /* a frame of another origin: not ours */ }
    }
  };
  // A key pressed on a slider is the slider's alone: Streamlit's button shortcuts (the step
  // section's ← → Home End, listening on the document) skip text fields but not sliders, so
  // ← on the sidebar's steps slider also stepped the section and the player back. The body
  // sees the key after the slider (React's root is inside it) and before the document.
  const onSliderKey = (event) => {
    if (event.target.closest && event.target.closest('[role="slider"]')) event.stopPropagation();
  };
  lock(); listen();
  if (!window.__descentLabObserver) {
    document.body.addEventListener("keydown", onSliderKey);
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("keydown", onPlaybackKey);
    window.__descentLabObserver = new MutationObserver(() => { lock(); listen(); });
    window.__descentLabObserver.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>
"""


def _boxes(name: str) -> str:
    """The CSS selector of every container of the control ``name``."""
    return f'[class*="st-key-control-{name}--"]'


def _enter(page: str, room: classroom.Classroom) -> None:
    page_state.set_room(page, replace(room, present=True))


def _leave(page: str, room: classroom.Classroom) -> None:
    page_state.set_room(page, replace(room, present=False))


def top(ps: page_state.PageState) -> None:
    """The top of every page: the CSS and script of the link's hidden and locked controls,
    presentation mode (or its button) and the teacher's title and note."""
    room = ps.room
    rules = [f"{_boxes(name)} {{ display: none !important; }}" for name in room.hide]
    rules += [f"{_boxes(name)} {{ opacity: 0.55; }}" for name in room.lock]
    style = f"<style>{''.join(rules)}</style>" if rules else ""
    if room.present:
        presentation.measure()
        style += presentation.css()
    settings = {"locked": list(room.lock), "present": room.present}
    st.html(style + _SCRIPT % (json.dumps(settings), presentation.LEAVE_KEY),
            unsafe_allow_javascript=True)
    if room.present:
        st.button("Leave presentation (Esc)", key=presentation.LEAVE_KEY, on_click=_leave,
                  icon=":material/close:", args=(ps.page, room))
    if room.title or room.note:
        with st.container(border=True, key="classroom-banner"):
            if room.title:
                st.markdown(f"#### {inputs.plain(room.title)}")
            if room.note:
                st.markdown(inputs.plain(room.note))


def present_button(ps: page_state.PageState) -> None:
    """The button that puts the page in presentation mode (in the sidebar)."""
    if not ps.room.present:
        st.button("Present (full-screen map)", key="present-enter", on_click=_enter,
                  icon=":material/slideshow:",
                  args=(ps.page, ps.room), width="stretch",
                  help="Hide the controls and the text; the map and its curves fill the "
                       "screen, large and in high contrast. Esc leaves.")


def control(ps: page_state.PageState, name: str, part: int = 1):
    """The container of one group of the page's controls (see ``classroom.CONTROLS``), or of
    its ``part``-th piece where the group sits in several places on the page."""
    box = st.container(key=f"control-{name}--{part}")
    if ps.room.state(name) == "locked":
        box.caption("🔒 Set by your teacher")
    return box


FIXED_START = "the start is set by your teacher"
"""What the map's hover says where a teacher's link fixes the start (instead of "click: start
here")."""


def map_options(ps: page_state.PageState) -> dict:
    """The player's options a teacher's link sets (``ui.player.show``'s keywords): a map that
    takes no click where the link hides or locks the start, saying so in its hover, and no
    run slider where it hides or locks the runs' values (``classroom.RUN_VALUES``)."""
    fixed = ps.room.start_fixed
    return {"clickable": not fixed, "click_note": FIXED_START if fixed else "",
            "sliders": not ps.room.runs_fixed(ps.page)}


SHARE_OPEN = "share.open"


def share_panel(ps: page_state.PageState) -> None:
    """"Share with students": the controls to hide or lock, a title and a note, and the link
    that opens this page as it is now, with them (not shown on a link made for students).

    Its ~40 elements are drawn only while it is open, and its own inputs rerun only the
    panel (a fragment); what was typed in it is kept while it is closed."""
    if ps.room.for_students:
        return
    ss = st.session_state
    for key in [k for k in ss if isinstance(k, str) and k.startswith("share.")]:
        ss[key] = ss[key]  # a widget not drawn in a run loses its value; this keeps it
    _share_panel(ps)


@st.fragment
def _share_panel(ps: page_state.PageState) -> None:
    controls = classroom.CONTROLS.get(ps.page, {})
    panel = st.expander("Share with students", icon=":material/share:", key=SHARE_OPEN,
                        on_change="rerun")
    with panel:
        if not panel.open:
            return
        st.caption("Make a link that opens this page with these settings, for a class.")
        title = st.text_input("title shown on top", max_chars=classroom.TITLE_MAX,
                              key="share.title")
        note = st.text_area("note shown under it", max_chars=classroom.NOTE_MAX,
                            key="share.note", height=80)
        hide, lock = [], []
        head = st.columns([3, 1, 1])
        head[1].caption("hide")
        head[2].caption("lock")
        for name, label in controls.items():
            row = st.columns([3, 1, 1], vertical_alignment="center")
            row[0].markdown(label)
            if row[1].checkbox(f"hide {label}", key=f"share.hide.{name}",
                               label_visibility="collapsed"):
                hide.append(name)
            elif row[2].checkbox(f"lock {label}", key=f"share.lock.{name}",
                                 label_visibility="collapsed"):
                lock.append(name)
        present = st.checkbox("open in presentation mode", key="share.present")
        room = classroom.Classroom(tuple(hide), tuple(lock), " ".join(title.split()),
                                   " ".join(note.split()), present)
        query = {**st.query_params.to_dict(), **{k: "" for k in classroom.FIELDS}}
        query = {k: v for k, v in {**query, **classroom.to_query(room)}.items() if v}
        link = f"{(st.context.url or '').split('?')[0]}?{urllib.parse.urlencode(query)}"
        st.caption("The link (copy it with the button at its right):")
        st.code(link, language=None, wrap_lines=True)
        st.link_button("Open it as a student would", link, width="stretch")
