"""Playing a round: the rules core (one definition of every rule), the state machines, a round of
one student, a match of two seats, the round file's format."""
