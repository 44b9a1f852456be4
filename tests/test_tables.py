"""ui.tables: a few rows of runs as an HTML table, each run's name in its colour."""

from __future__ import annotations

from ui import tables


def test_a_table_writes_each_run_in_its_colour_escaped_and_reads_back():
    rows = [{"run": "Adam (lr=0.1)", "final loss": 1.234567e-9, "outcome": "<ended>"},
            {"run": "SGD & co", "final loss": 2.0, "outcome": "diverged at step 3"}]
    text = tables.html_table(rows, ["#0072B2", "#a05000"])
    assert '<td style="color:#0072B2;font-weight:700">Adam (lr=0.1)</td>' in text
    assert "&lt;ended&gt;" in text and "SGD &amp; co" in text and "<ended>" not in text
    assert tables.read(text) == [[
        {"run": "Adam (lr=0.1)", "final loss": "1.235e-09", "outcome": "<ended>"},
        {"run": "SGD & co", "final loss": "2", "outcome": "diverged at step 3"}]]


def test_the_coloured_column_can_be_another_than_the_first():
    text = tables.html_table([{"#": 1, "run": "a"}], ["red"], column="run")
    assert "<td>1</td>" in text and '<td style="color:red;font-weight:700">a</td>' in text
