"""What a class and its teacher read: debriefs, the class report's figures and the live view."""
