"""Every fixed sentence the bot says, in Chinese, and the Chinese names of the graph's
codes the gateway does not name itself (sources and record kinds: :mod:`bot.names`).

Replies are short: one idea per message, a keyboard for what can follow.  Nothing here is
built from what a person typed; personal numbers are never echoed (only masked phones).
"""

from __future__ import annotations

__all__ = [
    "BADGES",
    "CLASSES",
    "PERFORMANCE",
    "REPAIR",
    "SCOPES",
    "SEVERITY",
    "T",
]

CLASSES = {
    "TRUSTWORTHY": "守信",
    "WARNING": "警示",
    "DISHONEST": "失信",
    "SERIOUSLY_DISHONEST": "严重失信",
}
BADGES = {
    "ACTIVE": "存续",
    "DEREGISTERED": "注销",
    "REVOKED": "吊销",
    "INCENTIVE": "守信激励对象",
    "PUNISHMENT": "失信惩戒对象",
}
SEVERITY = {"MINOR": "轻微", "GENERAL": "一般", "SERIOUS": "严重"}
PERFORMANCE = {"NONE": "全部未履行", "PARTIAL": "部分履行", "FULL": "全部履行"}
REPAIR = {"NONE": "未申请修复", "APPLIED": "修复申请审核中", "REPAIRED": "已修复"}
SCOPES = {
    "TAX": "纳税信息",
    "HRSS": "社保和公积金",
    "UTILITIES": "水电气缴费",
    "FULL_REPORT": "完整信用报告",
}
PURPOSES = {
    "LOAN_PRECHECK": "信易贷贷前审查",
    "LOAN_APPROVAL": "贷款审批",
    "POST_LOAN": "贷后管理",
    "GUARANTEE": "担保资格审查",
}


class T:
    """Fixed replies (a namespace, not a state)."""

    START = (
        "您好！我是信用查询助手（演示环境，全部为合成数据）。\n"
        "我可以帮您：查看本人及本人企业的信用状况和信用记录、了解记录能否及何时修复、"
        "查看谁查询过您的信用信息、管理对银行的授权、为企业做信易贷预检。\n\n"
        "个人信息说明：绑定身份需要姓名、手机号和身份证号。身份证号读取后立即从对话中删除，"
        "机器人不保存；核验由公安身份核验服务完成，验证码以短信发送。"
        "绑定有效期很短，过期后需重新验证；发送 /unbind 可随时解除绑定。"
    )
    MENU = "请选择要办理的事项："
    NOT_UNDERSTOOD = (
        "抱歉，我没听懂。您可以直接问我，例如“我的信用怎么样”“谁查了我”“怎么修复”“能贷款吗”，"
        "或从下面选择："
    )
    NEED_BINDING = "这项查询需要先验证您的身份（仅需一次，约1分钟）。"
    SESSION_EXPIRED = "为保护您的信息，身份验证已过期，请重新验证身份后再查询。"
    GATEWAY_DOWN = "信用平台暂时无法访问，请稍后再试。"
    RATE_LIMITED = "操作太频繁了，请 {seconds} 秒后再试。"
    ID_DELETED = "为保护您的隐私，含身份证号的消息已删除。如需绑定身份，请发送 /bind。"

    BIND_ASK_NAME = "开始验证身份。请输入您的真实姓名（发送 /cancel 可随时取消）："
    BIND_ASK_PHONE = "请输入您本人实名登记的手机号（11位），验证码将发送到这个号码："
    BIND_ASK_ID = (
        "请输入您的18位公民身份号码。\n为保护隐私，您的消息会在读取后立即删除，机器人不保存号码。"
    )
    BIND_BAD_NAME = "姓名看起来不对，请输入2-30个字的真实姓名："
    BIND_BAD_PHONE = "手机号码格式不正确，请输入11位中国大陆手机号码："
    BIND_CODE_SENT = "验证码已发送到 {phone}，{minutes} 分钟内有效。请输入6位验证码："
    BIND_CODE_WRONG = "验证码不正确，还可以再试 {left} 次。请重新输入："
    BIND_DONE = "身份验证成功！本次验证 {minutes} 分钟内有效。"
    BIND_DONE_FIRMS = "您是 {count} 家企业的法定代表人，也可以查看和办理这些企业的事项。"
    BIND_FIRMS_UNKNOWN = (
        "市场监管部门暂时无法访问，暂未查到您担任法定代表人的企业，可稍后重新验证。"
    )
    BIND_CANCELLED = "已取消身份验证。"
    BIND_RESTART = "请发送 /bind 重新开始身份验证。"
    BIND_AGAIN = "请从姓名开始重新输入："

    UNBIND_ASK = "确定要解除身份绑定吗？解除后需要重新验证才能查询。"
    UNBIND_DONE = "已解除身份绑定，本机器人不再保留您的身份信息。"
    UNBIND_NONE = "您当前没有绑定身份。"
    UNBIND_KEPT = "好的，保持绑定。"

    NO_SUBJECT = "没有找到这个查询对象，请从菜单重新选择。"
    PICK_SUBJECT = "请选择要查看的对象："
    MYSELF = "本人"  # never with a number: a person's display name is their ID number
    NO_FIRMS = "没有查到您担任法定代表人的企业。"

    REPAIR_TIP = (
        "点开一条记录，可查看它为什么在这里、公示到哪天、能否以及何时申请信用修复、应该怎么做。"
    )
    REPAIR_HOW = (
        "市场监管部门的记录（市场监管行政处罚、经营异常名录、严重违法失信名单）通过国家企业信用"
        "信息公示系统申请信用修复，其他记录通过“信用中国”网站申请（国办发〔2025〕22号）。"
        "条件：已过最短公示期，已纠正失信行为、履行法定义务，并作出信用承诺（《信用修复管理办法》"
        "国家发展改革委令第36号；市场监管领域为《市场监督管理信用修复管理办法》市场监管总局令"
        "第107号）。责令停产停业、吊销许可证或营业执照、限制从业的市场监管处罚不可修复"
        "（市场监管总局令第45号第十四条）。"
    )
    NO_RECORDS = "查询期内没有信用记录。"
    NO_NEGATIVE_RECORDS = "没有失信记录，无需修复。"
    RECORD_GONE = "这条记录已不在当前列表中，请重新打开记录列表。"

    LOG_EMPTY = "目前没有机构查询过您的信用信息。"
    CONSENTS_EMPTY = "您还没有给出任何授权。"
    GRANT_PICK_SUBJECT = "为谁授权？"
    GRANT_PICK_BANK = "授权给哪家机构？"
    GRANT_NO_BANKS = "目前没有可授权的合作银行。"
    GRANT_PICK_SCOPES = "授权对方查看哪些信息？（可多选，选好后点“下一步”）"
    GRANT_PICK_PURPOSE = "授权用途是什么？"
    GRANT_PICK_TERM = "授权多长时间？到期自动失效，也可随时撤销。"
    GRANT_NEED_SCOPE = "请至少选择一项授权范围。"
    GRANT_DONE = "授权成功，您可以随时在“我的授权”中撤销。"
    REVOKE_DONE = "已撤销该授权，立即生效。"
    CONSENT_GONE = "没有找到这项授权，请重新打开“我的授权”。"

    PRECHECK_PICK_FIRM = "为哪家企业做信易贷预检？"
    PRECHECK_PICK_PRODUCT = "请选择贷款产品："
    PRECHECK_NO_PRODUCTS = "目前没有可预检的贷款产品。"
    PRECHECK_NEED_FIRM = "信易贷预检面向企业：需要您是企业的法定代表人。"
    PRECHECK_NONE = (
        "还没有银行用这个产品为贵企业做过预审。预审由银行在贵企业授权后发起"
        "（用途：信易贷贷前审查），结果会在这里显示，并说明未通过的原因和改进办法。"
    )
