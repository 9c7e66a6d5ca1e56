"""gunicorn settings for `make run` (`gunicorn -c python:app.devserver`).

* The app is loaded in the master before the workers fork (preload_app), so the
  master is the embedded PostgreSQL's lasting user: Ctrl-C stops the server once
  the master exits, even when a hung worker had to be killed.
* The ready line is printed once gunicorn listens, with the address it really
  bound (HOST and PORT as given; port 0 becomes the port the system chose).
"""
preload_app = True
# A request still running at Ctrl-C gets this long before its worker is killed.
graceful_timeout = 10


def when_ready(server):
    for listener in server.LISTENERS:
        host, port = listener.sock.getsockname()[:2]
        print(f"\nKehu CRM is ready at http://{host}:{port}/  (Ctrl-C stops it)\n", flush=True)
