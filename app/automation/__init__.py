"""Automation: rules a tenant admin defines so routine work runs by itself.

A rule names a record type (any app.records type with a field catalogue, see
fields.py), a trigger (created, changed, a date arriving, no activity), conditions
written like the list filters (conditions.py, evaluated by app.lists.spec) and
ordered actions (actions.py). Changes are captured at flush (capture.py) and
evaluated after commit; dates and inactivity on the scheduler (schedule.py).
engine.py runs one rule on one record exactly once per event and logs it.
"""
