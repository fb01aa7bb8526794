"""A seat's life, the same for a solo round (one seat) and a match (two): create or join, save
after every decision, heartbeats, leave with a record on every way out."""
