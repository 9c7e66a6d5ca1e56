"""Internal announcements (员工园地): tenant admins post news to everyone or to a unit and
its sub-units; each reader sees them on "My day" until they dismiss them."""
