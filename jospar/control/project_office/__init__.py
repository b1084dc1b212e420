"""The project office's control on the control loop: the board of a project's tasks and key
events by the state of their obligations, and the regional status reports (obligations of the
same loop, their figures read from it)."""
