"""Public sign-up: a business picks a plan and gets a ready workspace with a trial."""
