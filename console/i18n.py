"""Every string of the console in English and Chinese, and the visitor's choice of them.

The choice is kept in a cookie (CONSOLE_LANGUAGE_COOKIE); without one, the browser's
Accept-Language decides.
"""

from __future__ import annotations

from typing import Callable, Dict, Tuple

LANGUAGES = ("en", "zh")
LANGUAGE_COOKIE = "console_lang"

CATALOGUE: Dict[str, Tuple[str, str]] = {
    "console": ("Body & Soul staff console", "Body & Soul 员工控制台"),
    "requests": ("Requests", "预约请求"),
    "conversations": ("Conversations", "对话记录"),
    "dashboard": ("Dashboard", "数据概览"),
    "audit": ("Audit log", "审计日志"),
    "accounts": ("Accounts", "账户"),
    "privacy": ("Visitor data", "访客数据"),
    "sign_in": ("Sign in", "登录"),
    "sign_out": ("Sign out", "退出"),
    "name": ("Name", "姓名"),
    "account_name": ("Account", "账户名"),
    "password": ("Password", "密码"),
    "signed_in_as": ("Signed in as", "当前用户"),
    "new_count": ("new", "条新请求"),
    "wrong_password": ("Wrong account name or password.", "账户名或密码错误。"),
    "locked": (
        "Too many wrong passwords: this account is locked for a while. Try again "
        "later or ask an admin.",
        "密码错误次数过多，账户已暂时锁定。请稍后再试或联系管理员。",
    ),
    "throttled": (
        "Too many failed sign-ins from this computer. Wait a few minutes.",
        "此电脑登录失败次数过多，请几分钟后再试。",
    ),
    "session_expired": (
        "You were signed out after a while without activity.",
        "长时间未操作，已自动退出。",
    ),
    "forbidden": ("Not allowed", "无权访问"),
    "forbidden_text": (
        "Your account's role may not see this page or do this.",
        "您的账户角色无权查看此页面或执行此操作。",
    ),
    "csrf_failed": (
        "This form had expired or did not come from the console. Go back, reload "
        "and try again.",
        "表单已过期或并非来自控制台。请返回、刷新后重试。",
    ),
    "not_found": ("Not found", "未找到"),
    "back": ("Back", "返回"),
    # Requests
    "all": ("All", "全部"),
    "clinic": ("Clinic", "诊所"),
    "kind": ("Kind", "类型"),
    "status": ("Status", "状态"),
    "delivery": ("Booking system", "预约系统"),
    "filter": ("Filter", "筛选"),
    "created": ("Received", "收到时间"),
    "reference": ("Reference", "编号"),
    "service": ("Service", "服务"),
    "preferred_time": ("Preferred time", "期望时间"),
    "phone": ("Phone", "电话"),
    "practitioner": ("Practitioner", "理疗师"),
    "language": ("Language", "语言"),
    "note": ("Note", "备注"),
    "visitor_note": ("Visitor's note", "访客备注"),
    "staff_note": ("Front-desk note", "前台备注"),
    "no_requests": ("No requests match.", "没有符合条件的请求。"),
    "kind_booking": ("Booking", "预约"),
    "kind_callback": ("Call-back", "回电"),
    "status_new": ("New", "新"),
    "status_called": ("Called", "已致电"),
    "status_confirmed": ("Confirmed", "已确认"),
    "status_declined": ("Declined", "已拒绝"),
    "status_no_answer": ("No answer", "无人接听"),
    "delivery_pending": ("Pending", "待发送"),
    "delivery_waiting": (
        "Not sent (no booking system set up)",
        "未发送（未配置预约系统）",
    ),
    "delivery_delivered": ("Delivered", "已送达"),
    "delivery_failed": ("Failed", "发送失败"),
    "retry": ("Send again", "重新发送"),
    "retried": ("Queued to be sent again.", "已重新排队发送。"),
    "move_to": ("Mark as", "标记为"),
    "save_note": ("Save note", "保存备注"),
    "history": ("Status history", "状态记录"),
    "changed_by": ("By", "操作人"),
    "when": ("When", "时间"),
    "changed_elsewhere": (
        "Someone else changed this request meanwhile: here is its current state.",
        "其他人刚刚修改了此请求，以下为最新状态。",
    ),
    "masked_note": (
        "Personal data is masked for your role.",
        "您的角色只能看到遮蔽后的个人信息。",
    ),
    "attempts": ("Attempts", "尝试次数"),
    "last_error": ("Last error", "最近错误"),
    "conversation": ("Conversation", "对话"),
    "refresh": ("Refresh", "刷新"),
    "previous": ("Previous", "上一页"),
    "next": ("Next", "下一页"),
    "page": ("Page", "第"),
    "of": ("of", "页，共"),
    "clinic_downtown": ("Downtown", "市区"),
    "clinic_minhang": ("Minhang", "闵行"),
    # Conversations
    "search": ("Search text or conversation id", "搜索内容或对话编号"),
    "channel": ("Channel", "渠道"),
    "since": ("From", "从"),
    "until": ("To", "到"),
    "fell_back": ("Not understood", "未理解"),
    "booked": ("Booked", "已预约"),
    "handoff": ("Asked for a person", "要求人工"),
    "messages": ("Messages", "消息数"),
    "last_active": ("Last message", "最后消息"),
    "first_message": ("First message", "第一条消息"),
    "no_conversations": ("No conversations match.", "没有符合条件的对话。"),
    "visitor": ("Visitor", "访客"),
    "person": ("Reception", "前台"),
    "live": ("Live", "在线接待"),
    "live_hint": (
        "Visitors who ask for a person appear here while this page is open (you count "
        "as online). Take one to answer; the assistant is silent until you hand back.",
        "打开此页面时您即为在线：请求人工的访客会出现在这里。接手后由您回复，助手暂停，"
        "直到您交还给助手。",
    ),
    "visitor_typing": ("The visitor is typing…", "访客正在输入…"),
    "live_empty": ("Nobody is waiting for a person.", "目前没有等待人工的访客。"),
    "waiting_for_person": ("waiting for a person", "位访客等待人工"),
    "waiting": ("Waiting", "等待中"),
    "with": ("With", "接待人："),
    "why": ("Why", "原因"),
    "reason_asked": ("Asked for a person", "请求人工"),
    "reason_not_understood": ("Not understood twice", "两次未能理解"),
    "take": ("Take it", "接手"),
    "open_conversation": ("Open", "打开"),
    "handed_back": ("Back with the assistant", "已交还助手"),
    "reply": ("Reply to the visitor", "回复访客"),
    "send": ("Send", "发送"),
    "canned_addresses": ("Send the clinics' addresses", "发送诊所地址"),
    "canned_phones": ("Send the phone numbers", "发送电话号码"),
    "book_for_them": ("Book for them", "代为预约"),
    "back_to_assistant": ("Back to the assistant", "交还给助手"),
    "not_sent": (
        "The message could not be sent: the assistant's server did not answer. Try "
        "again in a moment.",
        "消息未能发送：助手服务器没有响应，请稍后再试。",
    ),
    "consent_in_chat": (
        "The visitor agreed in the chat to send these details to the clinic",
        "访客已在对话中同意将这些信息发送给诊所",
    ),
    "send_request": ("Send the request", "提交请求"),
    "assistant": ("Assistant", "助手"),
    "understood": ("Understood as", "识别为"),
    "confidence": ("sure", "置信度"),
    "transcript": ("Transcript", "对话内容"),
    "conversations_found": ("conversations", "条对话"),
    # Dashboard
    "range": ("Dates", "日期"),
    "show": ("Show", "显示"),
    "messages_by_channel": (
        "Visitor messages per day, by channel",
        "每日访客消息（按渠道）",
    ),
    "messages_by_language": (
        "Visitor messages per day, by language",
        "每日访客消息（按语言）",
    ),
    "fallback_share": ("Share of messages not understood", "未理解消息占比"),
    "top_topics": ("Most asked topics", "最常见问题"),
    "requests_by_clinic": ("Requests per day, by clinic", "每日预约请求（按诊所）"),
    "today_messages": ("Visitor messages today", "今日访客消息"),
    "total_messages": ("Visitor messages in range", "区间内访客消息"),
    "no_data": ("No data in this range.", "此区间无数据。"),
    # Admin
    "role": ("Role", "角色"),
    "locked_now": ("Locked", "已锁定"),
    "action": ("Action", "操作"),
    "target": ("Target", "对象"),
    "detail": ("Detail", "详情"),
    "address": ("Address", "地址"),
    "create_accounts_hint": (
        "Accounts are created and reset on the server: make staff-user NAME=... "
        "ROLE=admin|editor|reception.",
        "账户在服务器上创建或重置：make staff-user NAME=... "
        "ROLE=admin|editor|reception。",
    ),
    # Privacy
    "privacy_intro": (
        "A visitor's access or erasure request: find their data by conversation id, "
        "phone number or request reference.",
        "访客查阅或删除个人数据的请求：按对话编号、电话号码或请求编号查找。",
    ),
    "sender": ("Conversation id", "对话编号"),
    "find": ("Find", "查找"),
    "found": ("Found", "找到"),
    "export": ("Export (JSON)", "导出（JSON）"),
    "delete": ("Delete…", "删除…"),
    "confirm_delete": ("Delete all of it", "全部删除"),
    "confirm_delete_text": (
        "This deletes the visitor's conversations and requests for good. It cannot "
        "be undone.",
        "这将永久删除该访客的对话和请求，无法恢复。",
    ),
    "deleted": ("Deleted", "已删除"),
    "delivered_warning": (
        "request(s) had already reached the booking system: delete them there too.",
        "条请求已送达预约系统：请在预约系统中一并删除。",
    ),
    "nothing_found": ("Nothing is kept under these details.", "未找到相关数据。"),
    "say_whose": (
        "Give a conversation id, a phone number or a reference.",
        "请填写对话编号、电话号码或请求编号。",
    ),
    "cancel": ("Cancel", "取消"),
    # Answers, questions to review, check and release, history (editing/).
    "answers": ("Answers", "回答"),
    "answers_hint": (
        "Every FAQ topic: the answer in English and Chinese, its buttons and the "
        'questions visitors ask. Changes are learnt after "Check changes" and '
        '"Put live" on the Release page.',
        "所有常见问题主题：中英文回答、按钮和访客的提问方式。修改后需在“发布”页面"
        "“检查修改”并“上线”才会生效。",
    ),
    "search_topics": ("Search topics, answers, examples", "搜索主题、回答、示例"),
    "new_topic": ("New topic", "新主题"),
    "topic": ("Topic", "主题"),
    "answer_en": ("English answer", "英文回答"),
    "answer_zh": ("Chinese answer", "中文回答"),
    "answer_text": ("Answer", "回答内容"),
    "examples": ("Example questions", "示例问题"),
    "examples_en": ("English example questions", "英文示例问题"),
    "examples_zh": ("Chinese example questions", "中文示例问题"),
    "examples_hint": (
        "One question per line, as visitors would write it.",
        "每行一个问题，按访客的写法。",
    ),
    "no_topics": ("No topic matches.", "没有符合的主题。"),
    "passages": ("Article passages", "文章段落"),
    "passages_hint": (
        "The clinic's articles, passage by passage (read only here; see "
        "docs/knowledge.md to change them).",
        "诊所文章的各个段落（此处只读；修改方法见 docs/knowledge.md）。",
    ),
    "passage": ("Passage", "段落"),
    "needs_review": ("translation to review", "译文待审核"),
    "buttons": ("Buttons", "按钮"),
    "button_title": ("Button text", "按钮文字"),
    "button_sends": ("Clicking it asks", "点击后发送"),
    "topic_key": ("Topic name (a-z, 0-9, _)", "主题名称（a-z、0-9、_）"),
    "topic_file": ("File", "文件"),
    "change_note": ("What changed (optional)", "修改说明（可选）"),
    "save": ("Save", "保存"),
    "saved_note": (
        "Saved and kept in the history. Check changes on the Release page to put "
        "it live.",
        "已保存并记入历史。请到“发布”页面检查修改后上线。",
    ),
    "not_saved": (
        "Not saved: fix the problems shown below first.",
        "未保存：请先修正下面列出的问题。",
    ),
    "key_error": (
        "The topic name must be new, start with a letter and use only a-z, 0-9 and _.",
        "主题名称必须是新的，以字母开头，只能使用 a-z、0-9 和 _。",
    ),
    "no_problems": (
        "No problems: make validate would pass.",
        "没有问题：数据检查可以通过。",
    ),
    "bytes": ("bytes (one WeChat message)", "字节（一条微信消息）"),
    "preview_widget": ("On the website widget", "网站聊天窗口中"),
    "preview_wechat": ("In WeChat", "微信中"),
    "review": ("Questions to review", "待处理问题"),
    "review_hint": (
        "Visitors' messages the assistant did not understand, took for off-topic or "
        "was unsure about; near-identical ones are one row. File each group under "
        "the topic that answers it. Phone numbers are masked.",
        "助手未理解、误判为无关或不确定的访客消息；几乎相同的消息合并为一行。请把每组归入"
        "能回答它的主题。电话号码已隐藏。",
    ),
    "groups": ("groups of questions", "组问题"),
    "message": ("Message", "消息"),
    "times": ("Times", "次数"),
    "file_under": ("File under", "归入"),
    "why_fallback": ("not understood", "未理解"),
    "why_off_topic": ("taken for off-topic", "被判为无关问题"),
    "why_unsure": ("unsure", "不确定"),
    "also": ("Also", "另有"),
    "off_topic": ("Off-topic (decline)", "无关问题（婉拒）"),
    "ignore": ("Ignore", "忽略"),
    "file": ("File", "归入"),
    "filed_note": (
        "Done; the change is in the history. It is learnt at the next check.",
        "已完成并记入历史，下次检查时学习。",
    ),
    "nothing_to_review": ("Nothing to review.", "没有待处理的问题。"),
    "release": ("Release", "发布"),
    "release_hint": (
        '"Check changes" trains a new model from the data as it is now, in the '
        "background (the assistant keeps answering), and measures it on the held-out "
        "questions. Only a model that meets the bar can be put live (admins).",
        "“检查修改”会在后台用当前数据训练新模型（助手照常回答），并在预留问题上测评。"
        "只有达标的模型才能上线（管理员）。",
    ),
    "released_note": (
        "The new model is live: the servers answer with it; conversations go on.",
        "新模型已上线，服务器已使用新模型回答，对话不受影响。",
    ),
    "rolled_back_note": ("The previous model is live again.", "已恢复为上一个模型。"),
    "check_busy": ("A check is already running.", "已有检查在进行中。"),
    "refused_note": ("Not put live:", "未上线："),
    "live_model": ("Live model", "线上模型"),
    "previous_models": ("Earlier models kept", "保留的旧模型"),
    "servers": ("Servers", "服务器"),
    "check_changes": ("Check changes", "检查修改"),
    "roll_back": ("Roll back", "回滚"),
    "checking": ("Checking the changes…", "正在检查修改…"),
    "state_validating": ("checking the data", "检查数据"),
    "state_training": ("training", "训练中"),
    "state_evaluating": ("measuring on the held-out questions", "在预留问题上测评"),
    "still_answering": (
        "The live assistant keeps answering meanwhile.",
        "期间线上助手照常回答。",
    ),
    "check_failed": ("The check failed", "检查未通过"),
    "verdict_pass": ("Meets the bar: it can be put live", "达标：可以上线"),
    "verdict_fail": ("Below the bar: it cannot be put live", "未达标：不能上线"),
    "checked_in": ("Checked in", "用时"),
    "candidate": ("New model", "新模型"),
    "bar": ("Bar", "标准"),
    "overall": ("Overall", "总体"),
    "worse_topics": ("Worse than the live model", "比线上模型差"),
    "better_topics": ("Better than the live model", "比线上模型好"),
    "changed_answers": ("Questions now answered differently", "回答有变化的问题"),
    "expected": ("Right answer", "正确答案"),
    "put_live": ("Put live", "上线"),
    "below_bar_cannot": ("Below the bar: cannot be put live.", "未达标，不能上线。"),
    "admin_puts_live": ("An admin puts it live.", "由管理员上线。"),
    "data_history": ("History", "修改历史"),
    "history_hint": (
        "Every change to the answers and examples, who made it and when. Open one "
        "to see it and undo it.",
        "对回答和示例的每次修改、修改人和时间。点开可查看并撤销。",
    ),
    "what": ("Change", "修改"),
    "no_changes": ("No changes yet.", "暂无修改。"),
    "commit": ("Version", "版本"),
    "undo": ("Undo this change", "撤销此修改"),
    "undo_hint": (
        "Undoing is itself a change, kept in the history.",
        "撤销本身也是一次修改，会记入历史。",
    ),
    "undo_failed": ("Cannot undo", "无法撤销"),
    "undo_problems": (
        "Undone, but the data now has problems make validate reports: fix them on "
        "the Answers page.",
        "已撤销，但数据检查发现问题，请在“回答”页面修正。",
    ),
}


def translator(language: str) -> Callable[[str], str]:
    """The function templates call as `t("key")`: the key's text in `language`."""
    column = 1 if language == "zh" else 0

    def t(key: str) -> str:
        entry = CATALOGUE.get(key)
        return entry[column] if entry else key

    return t


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The console's language: the cookie's, else the browser's preference, else en."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"
