## Duban bot — English

status-done = Done
status-in_progress = In progress
status-blocked = Blocked
status-not_started = Not started

button-done = Done
button-in_progress = In progress
button-blocked = Blocked
button-not_started = Not started
button-snooze = Remind me later
button-skip = Skip
button-finish = Finish
button-extension = Ask for extension
button-report = Report progress
button-cancel = Cancel

role-liaison = liaison
role-head = unit head
assignment-lead = lead
assignment-support = support

command-tasks = My unit's tasks
command-report = Report progress
command-overdue = Overdue items
command-lang = Change language
command-help = Help

stranger =
    Hello! This service is only for the liaisons of invited units.
    To join, please ask the coordinating office for an invitation link.
invite-invalid =
    Hello! This invitation link is invalid or no longer valid.
    Please ask the coordinating office for a new invitation link.
greeting-named = Hello { $name }!
greeting = Hello!
welcome =
    { $greeting } You are registered as { $role } of { $unit }.
    I will remind you here before tasks are due; tap a button under a reminder or reply to it to report.
    Send /tasks to see your unit's tasks, /help for help.
welcome-moved =
    { $greeting } Your registration has moved to { $unit }, as { $role }. From now on you receive that unit's reminders only.
    Send /tasks to see your unit's tasks, /help for help.
welcome-already = You are already registered as { $role } of { $unit }. Send /help for help.
welcome-back = Hello! You are { $role } of { $unit }. Send /tasks to see your unit's tasks, /report to report progress, /help for help.

help =
    What you can do:
    /tasks — your unit's tasks, deadlines and progress
    /report — report progress on a task
    /overdue — your unit's overdue items
    /lang — change language (中文 / English)
    /help — this help

    When a reminder arrives, tap a button to report, or reply to it, e.g. "80% done", "受检率96.5%", "done, report submitted".
    To add material, just send a photo or a file.
    If you cannot finish on time, tap "Ask for extension" under the reminder, or send "request extension: <reason>"; the office will let you know its decision.
help-head = As unit head you receive escalations when your unit is overdue, and you may report on behalf of your unit.

tasks-title = Tasks of { $unit } ({ $count }):
tasks-empty = Your unit has no tasks to follow up at the moment.
tasks-plan-heading = 📁 { $plan }
tasks-hint = Tap a task below for details or to report.
task-line-reported = Last report: { $status }
task-line-not-reported = Not reported yet
task-line-due = Next due: { $due }
task-line-overdue = Overdue (was due { $due })
task-line-clear = Nothing due now
task-detail-role = Your unit's role: { $role }
task-detail-indicators = Indicators:
task-detail-latest-value = last reported { $value }
task-detail-pending = Due:
task-detail-none-pending = Nothing due at the moment.
task-not-yours = This task does not belong to your unit.

overdue-title = Overdue items of { $unit } ({ $count }):
overdue-none = Your unit has no overdue items.
overdue-line = Task { $number } { $title } — { $what }, due { $due }, { $days } workday(s) overdue

report-pick-task = Which task do you want to report on?
report-pick-round = This task has several items due. Please choose:
files-waiting = { $count ->
    [one] The file you sent is not recorded yet; it is kept and will be recorded with your answer.
   *[other] The { $count } files you sent are not recorded yet; they are kept and will be recorded with your answer.
}
extension-file-kept = An extension needs its reason as text: no request was sent. The file you sent goes with this task's report:
task-heading = Task { $number } "{ $title }" { $what }
report-ask-status = What is the current status?
report-no-tasks = Your unit has no tasks to report on.

recorded-title = Recorded: task { $number } "{ $title }" { $what }
recorded-status = Status: { $status }
recorded-progress = Progress: { $progress }%
recorded-value = { $name }: { $value }
recorded-note = Note: { $note }
note-cut = (Your note was longer than { $max } characters; only the first { $max } were saved.)
recorded-attachment = Attachment: { $name }
recorded-submitted = Your report for this period is in. Thank you.
recorded-deliverable-open = This item counts as submitted once it is done; please tell me then.
recorded-progress-early = This period's progress is collected from { $date }; please report again then. This update is recorded and the office can see it.
recorded-carried-status = (status carried over from your last report)

ask-progress = Please reply with the progress so far (a number 0–100, e.g. 60), or tap "Skip".
ask-details = To add indicator values, a note, a photo or a file, just send it; otherwise tap "Finish".
ask-details-blocked = Please describe briefly what is blocking and what needs coordination, so the office can help; tap "Ask for extension" if you need more time.
ask-details-blocked-plain = Please describe briefly what is blocking and what needs coordination, so the office can help.
ask-more = You may add more; otherwise tap "Finish".
ask-extension-reason = Please give the reason for the extension and when you expect to finish.

added-title = Added:
attachment-photo = photo
finished = Thank you, your report is complete.
finished-recorded = Thank you, this is recorded.
skipped = OK, progress skipped.

extension-sent = Your extension request has been sent; the office will let you know its decision. Until then the original deadline ({ $due }) stands.
extension-pending = An extension request for this item is already under review.
extension-submitted = This item is already submitted; no extension needed.
extension-no-round = This item has no deadline; no extension needed.
extension-nothing-owed = Your unit owes nothing at the moment; no extension needed.
extension-pick = Which item do you need more time for?

snoozed = OK, I will remind you again at { $when }.
snooze-submitted = Your report for this period is already in; there will be no more reminders about it.
acknowledged = Acknowledged. To report progress, tap a button under the reminder or reply with your progress.
ack-noted = Noted, thank you! Send /report to report progress.

unclear-what-status = What is the current status of this work? Please choose below; what you sent will be recorded with it.
unclear-conflicting = Your reply mentions more than one status. Please confirm the current status:
unclear-which-indicator = "{ $subject }" could mean several indicators. Please send again with the full indicator name:
unclear-unknown-indicator = No indicator matches "{ $subject }". Please send "indicator name + value", e.g. "受检率96.5%".
unclear-indicators-of-task = Your unit's indicators:
unclear-bare-number = What does "{ $value }" refer to? For example "progress { $value }%" or "受检率{ $value }%".
unclear-progress-range = Progress must be a number between 0 and 100. Please try again.
unclear-empty = I could not understand this. To report progress send /report, or reply to a reminder.
pick-task = Which task is this about?
pick-round = Which item is this about?

callback-invalid = This button is not valid; nothing was recorded.
callback-foreign = This button is not yours; nothing was recorded.
callback-expired = This step has expired; please send it again.
done-toast = Recorded
not-your-task = This item does not belong to your unit; nothing was recorded.
contact-inactive = Your registration is no longer active. Please contact the coordinating office.
error = Sorry, something went wrong and your message was not processed. Please try again later.

lang-choose = 请选择语言 / Choose your language:
lang-set = Language set to English.

button-notice-receipt = Received
button-notice-signed = ✅ Signed
notice-signed = Signed, thank you!
notice-signed-already = You have already signed this notice.
notice-not-yours = This notice was not sent to you; nothing was recorded.
