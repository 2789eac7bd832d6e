"""JupyterHub for the course on one machine: `make hub` (http://127.0.0.1:8000 by default).

One instructor (formgrader, the course directory) and learners (the Assignments tab and
Validate), with nbgrader's exchange in HUB_STATE/exchange (HUB_STATE defaults to .hub/ in the
repository). Settings come from the environment:

  HUB_STATE       the hub's folder: exchange/, course/, the hub's database, passwords
  HUB_COURSE_DIR  the instructor's course directory (default HUB_STATE/course, copied from the
                  repository at the first start)
  HUB_EXCHANGE    nbgrader's exchange (default HUB_STATE/exchange)
  HUB_INSTRUCTOR  the instructor's user name (default instructor)
  HUB_LEARNERS    the learners' user names, separated by spaces (default "learner1 learner2")
  HUB_API_TOKEN   optional: a token with admin rights on the hub's REST API (the tests use it)

Who runs as whom, and why the course directory is private: see coursetools/hub.py. For a real
class, change the authenticator and perhaps the spawner below (README, "The course on a hub").
"""

import os
import sys

from coursetools.hub import PROXY, CourseSpawner, HubSetupError, Settings, prepare

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)

try:
    course = Settings.from_env()
    passwords = prepare(course)
except HubSetupError as error:  # said plainly, without a traceback from the config loader
    sys.exit(f"The course's hub cannot start: {error}")

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = 8000
c.JupyterHub.db_url = f"sqlite:///{course.private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(course.private / "cookie_secret")
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(course.private / "proxy.pid")
# Stopping the hub stops the servers; what users wrote is on disk (homes, exchange, course).
c.JupyterHub.cleanup_servers = True

# Accounts. On one machine: a shared password for learners and a long one for the instructor,
# both made at the first start and kept in HUB_STATE/hub/passwords. For a class, use your
# institution's log-in instead (README: LTI from the LMS, OAuth, or NativeAuthenticator).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = passwords["learners"]
c.SharedPasswordAuthenticator.admin_password = passwords["instructor"]
c.Authenticator.admin_users = {course.instructor}
c.Authenticator.allowed_users = {course.instructor, *course.learners}

# Servers: local processes, learners as their own system users when the hub runs as root.
c.JupyterHub.spawner_class = CourseSpawner
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 90

token = os.environ.get("HUB_API_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "course-admin", "api_token": token}]
    c.JupyterHub.load_roles = [{"name": "admin", "services": ["course-admin"]}]

print(
    f"\nThe course's hub: instructor {course.instructor!r} (password {passwords['instructor']}), "
    f"learners {', '.join(course.learners)} (password {passwords['learners']}).\n"
    f"Course directory {course.course}, exchange {course.exchange}.\n"
    + (
        ""
        if course.system_users
        else "Not running as root: every server runs as this one Unix user, so learners are NOT kept "
        "apart from each other. Fine for trying the course; for a class, run the hub as root.\n"
    ),
    file=sys.stderr,
)
