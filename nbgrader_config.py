"""nbgrader settings for the course: one assignment per lesson folder.

Instructors run nbgrader from this folder (or through `make release`); the course's tests load
this same file, so what is tested is what graders use. Facts behind each setting are in the
README's instructor section.
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

# Lesson sources (with solutions and hidden tests) live in solutions/<lesson>/, the generated
# student versions in notebooks/<lesson>/: one nbgrader assignment per lesson folder.
c.CourseDirectory.course_id = "how-computers-see"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# A lesson runs in seconds; a cell that takes two minutes is stuck (an endless loop), and the
# kernel is interrupted so the rest of the notebook is still graded.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# Minimal tracebacks: a failing check shows its message, not the lines around it, so hidden
# tests are never echoed into the feedback.
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    "--InteractiveShell.xmode=Minimal",
]

# nbgrader gives a test cell 0 points when it wrote anything to stderr. Python warnings (numpy's
# RuntimeWarning, matplotlib's UserWarning, ...) must not cost a correct answer its points.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w*Warning: "

# A graded cell the learner deleted is put back, so its tests still run.
c.OverwriteCells.add_missing_cells = True

# A learner printing a whole image in a loop must not make a feedback file of megabytes.
c.LimitOutput.max_lines = 300
c.LimitOutput.max_traceback = 40

# Feedback shows the learner's answers and the messages of failed checks, never the hidden
# tests' code or the mark scheme (nbgrader's default feedback includes both).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
]
