"""Pure algorithms on integer arrays (matching, chances, assignment); nothing here yet."""
