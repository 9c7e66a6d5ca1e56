"""The tenant workspace's home: the dashboard every user lands on."""
