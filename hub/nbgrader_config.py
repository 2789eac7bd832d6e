"""nbgrader settings of every server the course's hub starts (JUPYTER_CONFIG_PATH points here).

The hub's spawner (coursetools/hub.py) passes the exchange and the course id; a learner's server
also gets its student id from the hub's user name, so a learner is never the Unix user "root" or
the hub's user in the gradebook.
"""

import os

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

c.Exchange.root = os.environ["COURSE_EXCHANGE"]
c.CourseDirectory.course_id = os.environ["COURSE_ID"]
if os.environ.get("COURSE_ROLE") == "learner":
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
    # A submission without the lesson's notebook (missing, renamed) is refused, with the list of
    # what was expected and what was found, instead of arriving and scoring nothing.
    c.ExchangeSubmit.strict = True
