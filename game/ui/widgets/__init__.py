"""Small widgets the game screens are built from."""
