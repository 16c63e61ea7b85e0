"""Qt pieces shared by several screens."""
