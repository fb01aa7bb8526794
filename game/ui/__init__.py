"""The Textual front end. It asks the engine's session and renders; it holds no game state."""
