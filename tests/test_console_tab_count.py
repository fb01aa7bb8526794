"""The console's top line counts one open tab in the singular (trial 2, F8: "1 tabs open")."""

from __future__ import annotations

from game.ui.console_view import summary_line


def test_the_console_counts_one_tab_in_the_singular() -> None:
    one = summary_line({"code": "ABC", "students": [{"tab": "open"}]})
    two = summary_line({"code": "ABC", "students": [{"tab": "open"}, {"tab": "open"}]})
    assert "1 tab open" in one and "2 tabs open" in two
