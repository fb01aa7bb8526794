"""The classroom server: ``flashpoint serve`` puts the game in each student's browser.

Built on Textual's own ``textual-serve``: :mod:`game.web.service` runs one student's game,
:mod:`game.web.server` admits students with the class code and a name.
"""
