"""One module per screen; each screen asks the session and renders."""
