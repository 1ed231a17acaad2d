## 督办机器人 — 简体中文（默认）

status-done = 已完成
status-in_progress = 推进中
status-blocked = 有困难
status-not_started = 未开始

button-done = 已完成
button-in_progress = 推进中
button-blocked = 有困难
button-not_started = 未开始
button-snooze = 稍后提醒
button-skip = 跳过
button-finish = 完成报送
button-extension = 申请延期
button-report = 报送进展
button-cancel = 取消

role-liaison = 联络员
role-head = 单位负责人
assignment-lead = 牵头
assignment-support = 配合

command-tasks = 查看本单位任务
command-report = 报送任务进展
command-overdue = 查看逾期事项
command-lang = 切换语言
command-help = 使用说明

stranger =
    您好！本服务仅供受邀单位的联络人使用。
    如需开通，请联系联席会议办公室获取邀请链接。
invite-invalid =
    您好！该邀请链接无效或已失效。
    如需开通，请联系联席会议办公室重新获取邀请链接。
greeting-named = { $name }，您好！
greeting = 您好！
welcome =
    { $greeting }您已登记为“{ $unit }”的{ $role }。
    任务到期前，我会在这里提醒您；点击提醒下方的按钮或直接回复，即可报送进展。
    发送 /tasks 查看本单位任务，/help 查看使用说明。
welcome-moved =
    { $greeting }您的登记单位已调整为“{ $unit }”，身份为{ $role }。此后将只收到该单位的提醒。
    发送 /tasks 查看本单位任务，/help 查看使用说明。
welcome-already = 您已登记为“{ $unit }”的{ $role }，无需重复操作。发送 /help 查看使用说明。
welcome-back = 您好！您是“{ $unit }”的{ $role }。发送 /tasks 查看本单位任务，/report 报送进展，/help 查看使用说明。

help =
    可使用以下功能：
    /tasks — 查看本单位任务、截止时间和进展
    /report — 报送任务进展
    /overdue — 查看本单位逾期事项
    /lang — 切换语言（中文 / English）
    /help — 查看本说明

    收到提醒后，点击按钮即可报送；也可以直接回复提醒消息，例如“完成80%”“受检率96.5%”“已完成，报告已上报”。
    需要补充材料时，直接发送照片或文件即可。
    不能按时完成时，点提醒下方的“申请延期”，或直接发送“申请延期，理由……”，办公室审核后会通知您。
help-head = 作为单位负责人，本单位事项逾期时您会收到督办抄送，也可以代表本单位报送进展。

tasks-title = “{ $unit }”的任务（共 { $count } 项）：
tasks-empty = 本单位目前没有需要跟进的任务。
tasks-plan-heading = 📁《{ $plan }》
tasks-hint = 点击下方任务查看详情或报送进展。
task-line-reported = 最近报送：{ $status }
task-line-not-reported = 尚未报送
task-line-due = 下一截止：{ $due }
task-line-overdue = 已逾期（{ $due }截止）
task-line-clear = 当前无待报事项
task-detail-role = 本单位职责：{ $role }
task-detail-indicators = 指标：
task-detail-latest-value = 最近报送 { $value }
task-detail-pending = 待报送：
task-detail-none-pending = 当前无待报送事项。
task-not-yours = 该任务不属于本单位。

overdue-title = “{ $unit }”的逾期事项（共 { $count } 项）：
overdue-none = 本单位目前没有逾期事项。
overdue-line = 任务{ $number } { $title } — { $what }，{ $due }截止，已逾期 { $days } 个工作日

report-pick-task = 请选择要报送进展的任务：
report-pick-round = 该任务有多项待报送事项，请选择：
files-waiting = 您发送的 { $count } 个附件尚未记录，仍为您保留，回答后将一并记录。
extension-file-kept = 延期理由请用文字说明，本次未提交延期申请。您发送的附件将记入该任务的报送：
task-heading = 任务{ $number }“{ $title }”{ $what }
report-ask-status = 请选择当前状态：
report-no-tasks = 本单位目前没有需要报送的任务。

recorded-title = 已记录：任务{ $number }“{ $title }”{ $what }
recorded-status = 状态：{ $status }
recorded-progress = 进度：{ $progress }%
recorded-value = { $name }：{ $value }
recorded-note = 情况说明：{ $note }
note-cut = （您的说明超过 { $max } 字，只保存了前 { $max } 字。）
recorded-attachment = 附件：{ $name }
recorded-submitted = 本期已报送，感谢您的配合。
recorded-deliverable-open = 该事项需“已完成”后方视为报送，完成后请再告知。
recorded-progress-early = 本期进度将于 { $date } 起正式收集，届时请再报送一次；这次的进展已记录，办公室可以看到。
recorded-carried-status = （沿用最近一次报送的状态）

ask-progress = 请回复目前的完成进度（0–100 的数字，如 60）；暂不填写可点“跳过”。
ask-details = 如需补充指标数值、情况说明，或上传照片、文件，请直接发送；无需补充请点“完成报送”。
ask-details-blocked = 请简要说明遇到的困难及需要协调的事项，便于办公室及时协调；如需延期，可点“申请延期”。
ask-details-blocked-plain = 请简要说明遇到的困难及需要协调的事项，便于办公室及时协调。
ask-more = 还可继续补充；无需补充请点“完成报送”。
ask-extension-reason = 请简要说明申请延期的理由及预计完成时间。

added-title = 已补充记录：
attachment-photo = 照片
finished = 好的，本次报送已完成，感谢您的配合！
finished-recorded = 好的，以上情况已记录，感谢您的配合！
skipped = 好的，已跳过进度。

extension-sent = 延期申请已提交，办公室审核后会通知您。审核前，原定截止时间（{ $due }）保持不变。
extension-pending = 该事项已有延期申请正在审核，请耐心等待。
extension-submitted = 该事项已报送，无需申请延期。
extension-no-round = 该事项没有截止时间，无需申请延期。
extension-nothing-owed = 本单位目前没有待报送的事项，无需申请延期。
extension-pick = 请选择要申请延期的事项：

snoozed = 好的，将于 { $when } 再次提醒您。
snooze-submitted = 本期已报送，不会再就此事提醒您。
acknowledged = 已签收。如需报送进展，请点击提醒下方的按钮，或直接回复进展情况。
ack-noted = 收到，谢谢！如需报送进展，可发送 /report。

unclear-what-status = 请问这项工作目前的状态是？请点击下方按钮选择，您刚才发送的内容将一并记录。
unclear-conflicting = 您的回复中同时包含了多个状态，请点击下方按钮确认当前状态：
unclear-which-indicator = “{ $subject }”可能对应以下多项指标，请写明完整的指标名称后重新发送：
unclear-unknown-indicator = 未找到与“{ $subject }”对应的指标。请按“指标名称+数值”重新发送，如“受检率96.5%”。
unclear-indicators-of-task = 本单位任务的指标有：
unclear-bare-number = 请说明“{ $value }”指的是什么，例如“进度{ $value }%”或“受检率{ $value }%”。
unclear-progress-range = 进度应为 0–100 之间的数字，请重新输入。
unclear-empty = 未能识别您发送的内容。如需报送进展，请发送 /report，或直接回复提醒消息。
pick-task = 请问您报送的是哪项任务？
pick-round = 请选择对应的报送事项：

callback-invalid = 该按钮无效，未作任何记录。
callback-foreign = 该按钮不属于您，未作任何记录。
callback-expired = 该操作已超时，请重新发送。
done-toast = 已记录
not-your-task = 该事项不属于本单位，未作记录。
contact-inactive = 您的登记已停用，如有疑问请联系联席会议办公室。
error = 抱歉，系统暂时出现问题，您的消息未能处理，请稍后再试。

lang-choose = 请选择语言 / Choose your language:
lang-set = 已切换为中文。

button-notice-receipt = 收到
button-notice-signed = ✅ 已签收
notice-signed = 已签收，谢谢！
notice-signed-already = 您已签收过该通知。
notice-not-yours = 该通知不是发给您的，未作记录。
