"""Which tests start a process, drive the full-screen game or a browser, or are slow, so that
a contributor can run the fast subset: ``python -m pytest -m "not process and not slow"``
(docs/development.md).

The marks are given here, by module or by test, and checked as each test runs: a test that
starts a process (``subprocess.Popen``: an interpreter, a pty, a server, a browser) without the
``process`` mark fails, and so does a test with it that starts none; a test that runs a
Textual app without the ``ui`` mark fails. The fast subset cannot silently grow a process.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App

EVERY = frozenset({"*"})
"""Every test of the module."""

PROCESS: dict[str, frozenset[str]] = {
    "test_authoring": frozenset(
        {
            "test_explore_reports_a_wording_no_round_can_show",
            "test_graph_svg_uses_graphviz_or_says_how_to_get_it",
            "test_validate_watch_runs_again_when_the_file_changes",
        }
    ),
    "test_match_file_locks": frozenset(
        {
            "test_opening_the_file_again_in_the_process_keeps_the_server_s_write_ahead_log",
        }
    ),
    "test_class_parallel": frozenset(
        {
            "test_the_class_command_reads_a_large_class_in_parts",
        }
    ),
    "test_cli": frozenset(
        {
            "test_every_broken_file_fails_cleanly_in_a_subprocess",
            "test_missing_path_and_usage_errors",
            "test_plain_play_by_bundled_id",
            "test_plain_play_of_the_mini_scenario",
            "test_plain_play_rejects_bad_input_and_explains",
            "test_plain_play_saves_when_input_ends_and_continues",
            "test_play_unknown_scenario_and_role",
        }
    ),
    "test_class_caps": EVERY,
    "test_full_page_stored": EVERY,
    "test_plain_match_class": EVERY,
    "test_class_token": frozenset({"test_two_servers_on_one_class_folder_share_the_teacher_token"}),
    "test_class_caps_matches": EVERY,
    "test_concurrency": EVERY,
    "test_console_pairs": EVERY,
    "test_console_picker": EVERY,
    "test_console": frozenset(
        {
            "test_a_refused_command_is_a_sentence",
            "test_a_reset_seat_needs_its_new_pin_and_a_removed_seat_is_given_back",
            "test_no_student_page_or_cookie_holds_the_token",
            "test_the_banner_with_the_class_code_never_shows_the_token",
            "test_the_console_shows_tabs_closing_and_the_server_stopping",
            "test_the_teacher_paces_the_class_with_keys",
            "test_the_token_is_needed_and_wrong_tries_are_limited_per_address",
        }
    ),
    "test_contracts": frozenset(
        {
            "test_import_layers_hold",
            "test_mypy_strict_passes",
        }
    ),
    "test_crash_safety": EVERY,
    "test_digest": frozenset(
        {
            "test_loading_a_scenario_does_not_load_openssl",
        }
    ),
    "test_hostile": frozenset(
        {
            "test_hostile_case",
            "test_results_are_never_written_outside_the_data_folder",
        }
    ),
    "test_failover": EVERY,
    "test_import_hygiene": EVERY,
    "test_report_imports": EVERY,
    "test_large_scenarios": EVERY,
    "test_lifecycle": frozenset(
        {
            "test_a_round_played_in_one_process_cannot_be_continued_in_another",
            "test_a_signal_to_a_plain_round_records_it_as_abandoned",
            "test_a_signal_to_the_full_screen_game_records_the_round_as_abandoned",
        }
    ),
    "test_live_fit": frozenset(
        {
            "test_students_turned_away_never_show_as_joined",
        }
    ),
    "test_live_view": frozenset(
        {
            "test_live_refuses_a_folder_that_is_not_a_class",
            "test_the_class_report_reads_a_class_folder",
        }
    ),
    "test_match_file": frozenset(
        {
            "test_the_live_view_shows_the_matches_as_last_read_while_the_file_is_locked",
            "test_a_seat_keeps_a_move_the_locked_file_refused_and_seals_it_once_free",
            "test_two_plain_seats_play_on_through_a_lock_held_by_another_program",
            "test_a_file_another_program_holds_locked_is_never_said_to_be_sealed",
            "test_a_read_only_file_is_refused_by_name_in_a_real_process",
            "test_a_seat_stops_truthfully_when_the_file_stays_locked",
            "test_the_live_view_names_a_damaged_match_file_and_goes_on",
        }
    ),
    "test_match_leaving": EVERY,
    "test_match_processes": EVERY,
    "test_match_restart": EVERY,
    "test_plain_pacing": EVERY,
    "test_private_files": frozenset(
        {
            "test_a_new_scenario_is_the_authors_to_share",
            "test_a_report_asked_for_by_name_is_written_as_the_shell_would",
        }
    ),
    "test_reports": frozenset(
        {
            "test_abandoned_plain_round_writes_a_result",
        }
    ),
    "test_serve": EVERY,
    "test_serve_seats": EVERY,
    "test_serve_database": EVERY,
    "test_storage": frozenset(
        {
            "test_a_lease_dies_with_its_process",
            "test_a_restarted_database_costs_one_request_at_most",
        }
    ),
    "test_storage_cli": EVERY,
    "test_serve_attacks": frozenset(
        {
            "test_a_name_like_an_option_is_a_name_in_a_match_too",
            "test_a_teacher_is_told_when_the_file_limit_is_too_low_for_the_class",
            "test_the_server_raises_its_open_file_limit_to_the_hard_limit",
            "test_a_deeply_nested_message_is_ignored_without_a_traceback",
            "test_a_form_that_never_arrives_is_timed_out",
            "test_a_game_whose_server_is_killed_records_its_round_and_ends",
            "test_a_look_alike_name_is_refused_and_a_full_width_one_is_the_same_student",
            "test_a_malformed_request_flood_neither_floods_the_log_nor_stops_a_student",
            "test_a_name_like_an_option_is_a_name",
            "test_a_page_on_another_domain_cannot_reach_the_class",
            "test_a_second_tab_takes_the_same_game_over",
            "test_a_trusted_proxys_clients_are_counted_apart_and_nobody_elses_header_is_believed",
            "test_every_answer_carries_the_security_headers",
            "test_half_sent_headers_past_the_file_limit_neither_crash_the_server_nor_last",
            "test_host_colons_announces_addresses_that_work",
            "test_late_bodies_get_no_more_guesses_than_the_limit",
            "test_no_game_outlives_the_server_after_ctrl_c",
            "test_one_address_cannot_fill_the_class_and_refused_names_make_no_folder",
            "test_one_address_holds_a_bounded_number_of_connections",
            "test_the_debrief_download_carries_the_security_headers",
            "test_websocket_churn_runs_at_most_one_game_per_seat",
            "test_what_a_failing_game_prints_goes_to_its_folder_not_the_log",
        }
    ),
    "test_ui_kill": EVERY,
    "test_ui_match_file": frozenset(
        {
            "test_a_move_the_locked_file_refused_is_shown_unsaved_until_it_is_sealed",
        }
    ),
    "test_ui_round": frozenset(
        {
            "test_outcome_debrief_plain_and_markdown_use_the_same_sections",
            "test_the_reveal_policy_survives_a_resume_in_plain_mode",
        }
    ),
}
"""Module name → the tests that start a process."""
UI: dict[str, frozenset[str]] = {
    "test_serve_database": frozenset(
        {"test_two_servers_share_seats_rounds_pacing_and_the_end_of_class"}
    ),
    "test_console_pairs": frozenset({"test_pairing_and_removing_a_match_by_keys"}),
    "test_console_picker": EVERY,
    "test_lesson_browser": EVERY,
    "test_console": frozenset(
        {
            "test_c_gives_a_large_class_the_whole_screen_at_80x24",
            "test_the_console_shows_tabs_closing_and_the_server_stopping",
            "test_the_teacher_paces_the_class_with_keys",
        }
    ),
    "test_authoring_match": frozenset(
        {
            "test_a_full_screen_test_match_from_a_match_only_point",
            "test_preview_match_plays_both_seats_and_reloads_on_save",
            "test_the_match_briefing_is_left_with_enter_or_escape",
            "test_the_preview_s_quit_dialog_does_not_say_the_round_is_saved",
        }
    ),
    "test_live_fit": frozenset(
        {
            "test_anonymized_live_view_names_nobody",
            "test_at_120x40_the_ending_is_whole",
            "test_at_80x24_the_ending_and_date_are_on_screen",
        }
    ),
    "test_live_view": frozenset(
        {
            "test_the_live_view_follows_the_folder_as_it_changes",
            "test_the_live_view_lists_each_match_and_how_it_stands",
            "test_the_live_view_says_what_the_console_says",
            "test_the_live_view_shows_students_choices_and_endings",
        }
    ),
    "test_match_seat": frozenset(
        {
            "test_a_match_key_press_reaches_the_saved_move_through_each_module_once",
        }
    ),
    "test_preview": EVERY,
    "test_ui_hostile": EVERY,
    "test_ui_match": EVERY,
    "test_ui_monkey": EVERY,
    "test_ui_outcome": EVERY,
    "test_ui_play": frozenset(
        {
            "test_a_citation_opens_its_source_at_the_quote",
            "test_a_full_historical_round_from_the_title_screen",
            "test_a_save_that_cannot_be_continued_leaves_the_student_on_the_title",
            "test_a_small_terminal_gets_a_clear_message",
            "test_a_test_round_shows_its_variables_and_saves_nothing",
            "test_an_escalation_round_reaches_the_spiral",
            "test_back_out_of_a_choice_and_reveal_only_in_the_debrief",
            "test_command_palette_offers_the_games_commands",
            "test_escape_from_a_role_screen_opened_directly_goes_to_the_title",
            "test_quit_mid_round_and_continue_from_the_title_screen",
            "test_resizing_on_every_screen_does_not_crash",
            "test_sources_notes_map_help_and_quit",
            "test_the_full_screen_game_records_a_round_as_a_plan",
            "test_the_title_lists_the_data_folders_own_scenarios",
            "test_theme_toggle",
        }
    ),
    "test_ui_round": frozenset(
        {
            "test_every_choice_is_fully_visible_when_highlighted_at_80x24",
            "test_outcome_debrief_plain_and_markdown_use_the_same_sections",
            "test_the_quit_key_records_the_round_as_abandoned",
            "test_the_reveal_policy_survives_a_resume_in_the_full_screen_game",
            "test_the_title_screen_way_out_records_the_round_as_abandoned",
            "test_widgets_do_not_pile_up_across_the_decisions_of_a_round",
        }
    ),
    "test_ui_snapshots": EVERY,
}
"""Module name → the tests that run a Textual app (Pilot pressing keys, or a snapshot)."""
BROWSER: dict[str, frozenset[str]] = {
    "test_lesson_browser": EVERY,
    "test_map_browser": EVERY,
    "test_page_browser": EVERY,
    "test_page_match_browser": EVERY,
    "test_page_match_pacing_browser": EVERY,
    "test_presence_browser": EVERY,
    "test_match_presence_browser": EVERY,
    "test_projector": EVERY,
    "test_serve_browser": EVERY,
}
"""Module name → the tests that drive Chromium (they start processes too)."""
SLOW: dict[str, frozenset[str]] = {
    "test_authoring": frozenset(
        {
            "test_a_test_round_names_what_is_wrong",
            "test_a_test_round_starts_anywhere_and_leaves_nothing_behind",
            "test_a_thousand_point_scenario_explores_exactly_and_fast",
            "test_explore_command_formats",
            "test_graph_command_writes_each_format",
            "test_validate_json_lists_every_problem_for_editors",
        }
    ),
    "test_authoring_match": frozenset(
        {
            "test_a_full_screen_test_match_from_a_match_only_point",
            "test_debrief_finds_the_data_folder_s_own_scenario_or_names_scenario",
            "test_every_match_point_of_the_flagship_plays_from_to_an_ending",
            "test_preview_match_plays_both_seats_and_reloads_on_save",
            "test_the_match_briefing_is_left_with_enter_or_escape",
            "test_the_preview_s_quit_dialog_does_not_say_the_round_is_saved",
        }
    ),
    "test_background": frozenset(
        {
            "test_every_debrief_output_holds_every_note_and_the_framing",
            "test_nothing_dated_after_a_decision_is_shown_before_it",
        }
    ),
    "test_broken_files": frozenset(
        {
            "test_broken_file_reports_the_problem_where_it_is",
            "test_deep_nesting_is_refused_in_our_words_whichever_parser_reads_it",
            "test_hundred_thousand_nested_brackets_are_refused_without_crashing",
        }
    ),
    "test_class_figures": frozenset(
        {
            "test_anonymized_reports_use_stable_pseudonyms_only",
            "test_debrief_json_has_the_full_content",
            "test_every_figure_matches_an_independent_computation",
            "test_the_report_shows_the_same_figures_in_every_format",
        }
    ),
    "test_class_parallel": EVERY,
    "test_csv_out": frozenset(
        {
            "test_a_record_s_rows_are_what_csv_writes_of_the_safe_cells",
            "test_the_remembered_fields_are_forgotten_when_full_and_stay_right",
        }
    ),
    "test_console_pairs": EVERY,
    "test_console_picker": EVERY,
    "test_console": frozenset(
        {
            "test_a_refused_command_is_a_sentence",
            "test_a_reset_seat_needs_its_new_pin_and_a_removed_seat_is_given_back",
            "test_no_student_page_or_cookie_holds_the_token",
            "test_the_banner_with_the_class_code_never_shows_the_token",
            "test_the_console_shows_tabs_closing_and_the_server_stopping",
            "test_the_teacher_paces_the_class_with_keys",
            "test_the_token_is_needed_and_wrong_tries_are_limited_per_address",
        }
    ),
    "test_cli": frozenset(
        {
            "test_schema_is_valid_and_accepts_the_bundled_scenarios",
            "test_validate_folder_with_errors_exits_one",
        }
    ),
    "test_docs": frozenset(
        {
            "test_the_tutorials_commands_run",
        }
    ),
    "test_flagship": frozenset(
        {
            "test_every_ending_is_reachable",
            "test_every_quote_is_verbatim_in_its_source",
        }
    ),
    "test_gradebook": frozenset(
        {
            "test_every_report_says_the_class_code_the_days_and_the_scenario_version",
            "test_gradebook_written_to_a_file",
            "test_one_row_per_student_with_the_documented_columns",
        }
    ),
    "test_hostile": EVERY,
    "test_live_fit": EVERY,
    "test_live_view": EVERY,
    "test_load_once": frozenset(
        {
            "test_authoring_commands_load_the_scenario_once",
            "test_reports_load_the_scenario_once",
        }
    ),
    "test_map_layout": frozenset(
        {
            "test_a_line_of_too_many_points_is_refused_once",
        }
    ),
    "test_markdown_escape": EVERY,
    "test_match_engine": frozenset(
        {
            "test_the_class_report_groups_each_match_and_shows_where_pairs_left_history",
        }
    ),
    "test_match_file": frozenset(
        {
            "test_garbage_in_the_file_is_found_when_it_is_opened",
            "test_garbage_written_while_the_seats_play_is_found_before_they_close",
            "test_the_live_view_shows_the_matches_as_last_read_while_the_file_is_locked",
        }
    ),
    "test_match_seat": frozenset(
        {
            "test_rejoining_keeps_the_reveal_policy_and_can_only_tighten_it",
        }
    ),
    "test_matches": frozenset(
        {
            "test_hundred_turns_with_both_moves_at_once_keep_every_move_once",
        }
    ),
    "test_no_move_in_time": EVERY,
    "test_plain_reading": frozenset(
        {
            "test_tables_in_sources_read_as_text_and_every_quote_is_still_found",
        }
    ),
    "test_plain_match_clock": EVERY,
    "test_properties": EVERY,
    "test_record_corrections": frozenset(
        {
            "test_a_source_shows_its_question_not_its_reliability_note_during_play",
        }
    ),
    "test_record_fast": frozenset(
        {
            "test_no_field_changed_to_an_odd_value_is_accepted_that_the_careful_way_refuses",
        }
    ),
    "test_record_trust": frozenset(
        {
            "test_every_path_keeps_the_record_honest",
            "test_history_shown_during_play_never_names_a_later_document",
            "test_wording_follows_the_round",
        }
    ),
    "test_reports": frozenset(
        {
            "test_committed_example_reports_are_current",
            "test_corrupt_foreign_and_other_version_records_are_kept_apart",
            "test_debrief_by_round_id_and_to_stdout",
            "test_debrief_round_trips_into_each_format",
        }
    ),
    "test_page": frozenset(
        {
            "test_a_damaged_save_is_told_in_words_and_nothing_else_breaks",
            "test_a_second_server_on_the_same_folder_continues_the_round",
            "test_what_a_hostile_browser_sends_is_refused_or_made_inert",
        }
    ),
    "test_page_match_pacing": EVERY,
    "test_page_match_sweep": EVERY,
    "test_page_debrief_after_end": EVERY,
    "test_page_repair": EVERY,
    "test_page_matches": frozenset(
        {
            "test_a_lone_student_is_told_the_other_side_is_history_s_moves",
            "test_a_silent_seat_s_move_is_labelled_never_you_chose",
            "test_two_students_play_a_match_to_the_end_by_forms",
        }
    ),
    "test_page_pacing": frozenset(
        {
            "test_the_live_stream_says_when_the_teacher_opens_the_decision",
            "test_the_server_plays_the_fallback_for_a_student_who_does_not_come_back",
        }
    ),
    "test_round_properties": EVERY,
    "test_rules_agree": EVERY,
    "test_serve_attacks": EVERY,
}
"""Module name → tests that start no process and run no Textual app but took more than a
second (all their cases together) on this 2-core machine while it was shared: many random
rounds, whole classes read in parts, every hostile file. Measured with ``--durations=0``."""

SUITE_SERVICE: list[str] = []
"""Non-empty while a session fixture starts a server the suite shares (the PostgreSQL server
of tests/pg_server.py, started once per test process by whichever test first needs it)."""

RECORD = os.environ.get("FLASHPOINT_RECORD_MARKS", "")
"""A file to append what each test did to, instead of checking its marks (to update them)."""


def _listed(table: dict[str, frozenset[str]], item: pytest.Item) -> bool:
    module = item.path.stem
    names = table.get(module, frozenset())
    return "*" in names or getattr(item, "originalname", item.name) in names


def mark(items: list[pytest.Item]) -> None:
    """Give each collected test its marks (``pytest_collection_modifyitems``). Every test of a
    ``test_ui_*`` module is ``ui``; every ``ui`` test is also ``slow`` (a Pilot app takes
    seconds to start and draw: together they take minutes)."""
    for item in items:
        if _listed(BROWSER, item):
            item.add_marker(pytest.mark.browser)
        if _listed(PROCESS, item) or _listed(BROWSER, item):
            item.add_marker(pytest.mark.process)
        ui = _listed(UI, item) or item.path.stem.startswith("test_ui_")
        if ui:
            item.add_marker(pytest.mark.ui)
        if ui or _listed(SLOW, item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _marks_are_exact(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test whose ``process`` or ``ui`` mark does not say what it did."""
    started: list[object] = []
    apps: list[object] = []
    patch = pytest.MonkeyPatch()
    original = subprocess.Popen.__init__

    def popen(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
        if not SUITE_SERVICE:  # a server the whole suite shares is not this test's process
            started.append(args[0] if args else kwargs.get("args"))
        original(self, *args, **kwargs)

    patch.setattr(subprocess.Popen, "__init__", popen)
    run_test = App.run_test

    def pilot(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        apps.append(self)
        return run_test(self, *args, **kwargs)

    patch.setattr(App, "run_test", pilot)
    try:
        yield
    finally:
        patch.undo()
    node = request.node
    did = {"process": bool(started), "ui": bool(apps)}
    if RECORD:
        with open(RECORD, "a", encoding="utf-8") as log:
            log.write(f"{node.nodeid}\t{did['process']}\t{did['ui']}\n")
        return
    marked = {name: node.get_closest_marker(name) is not None for name in did}
    if did["process"] and not marked["process"]:
        pytest.fail(f"started {started[0]!r} without the 'process' mark: tests/markers.py")
    if marked["process"] and not did["process"] and node.get_closest_marker("browser") is None:
        pytest.fail("marked 'process' but started none: tests/markers.py")
    if did["ui"] and not marked["ui"]:
        pytest.fail("ran a Textual app without the 'ui' mark: tests/markers.py")
