"""Pages of programs: the list, a program's tree, one node, and the web import."""
