"""What a problem statement is about: the system, activity or supplier it names, and who is responsible.

A 整改建议 is only useful when it names the thing to fix ("建议…对会务工作智能化平台建立运维机制"),
so the writer fills the reference sentences' {object}, {project} and {unit} from here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...text.normalize import to_halfwidth
from ..names import project_object

_QUOTED = re.compile(r"“([^“”]{2,40})”(项目|经费|工程)?")
_BOOK = re.compile(r"《([^《》]{2,30})》")
_COMPANY = re.compile(r"([\u4e00-\u9fffA-Za-z]{2,24}?(?:股份有限公司|有限责任公司|有限公司|集团公司|研究院|事务所))")
_SUPPLIER = re.compile(r"(?:提供|负责|承担)([\u4e00-\u9fff、及和]{2,20}?)(?:工作|服务)?的(?:服务)?(供应商|服务商|承接方|运维单位|服务单位)")
#: A contractor named by its role: 培训机构, 物业公司, 保洁服务公司, 监理单位, 承接主体.
_CONTRACTOR = re.compile(r"(?:培训|物业|保洁|监理|施工|咨询|运维|会务|设计|软件|开发|技术服务|第三方|养老服务|评估|印刷|广告)"
                         r"(?:服务)?(?:机构|公司|单位|企业|服务商|供应商)|承接主体|承接方|中标单位|施工方|服务商")
_SYSTEM = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,14}?(?:系统|平台|APP|app|网站|数据库|小程序|公众号|网络|机房))")
_THING = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?(?:会议|培训班|培训|调研|课题|工程|设备|食堂|河道|设施|刊物|月刊|热线|窗口|补贴|补助))")
_UNIT = re.compile(r"((?:上海市|市|区|县|省|镇)[\u4e00-\u9fff]{1,10}?"
                   r"(?:常委会办公厅|办公厅|办公室|管理局|委员会|医院|学校|中心|局|委|办|院)(?:会办公厅|员会)?)")
_VERBISH = re.compile(r"了|按|要求|完成|进行|的|对|在|由|将|把|提供|负责|缺乏|缺少|没有|未|针对|经|后|等|及|和|与")
#: Verbs after which the named thing starts: 新购CT设备 → CT设备.
_CUT = re.compile(r"^.*(?:新购|采购|购置|新建|建设|开发|部署|使用|运行|举办|组织|开展|召开)")
_LEAD = re.compile(r"^(?:项目|该|本|相关|部分|各项|各类|其中|实现|建设|开发|完成|提供|针对|通过|服务于)+")
_GENERIC = {"项目", "系统", "平台", "网络", "设备", "活动", "会议", "工程", "信息系统", "管理系统", "运维系统", "信息化系统",
            "相关系统", "业务系统", "设施", "调研", "培训"}


@dataclass
class ProblemObject:
    """The names a suggestion should use: the object fixed, the project, the responsible unit."""

    object: str
    project: str
    unit: str
    supplier: str | None = None
    system: str | None = None


def _candidates(rx: re.Pattern, text: str) -> list[str]:
    out = []
    for m in rx.finditer(text):
        cand = _LEAD.sub("", m.group(1))
        cut = _CUT.sub("", cand)
        cand = cut if len(cut) >= 3 else cand
        head = re.sub(r"(?:系统|平台|APP|app|网站|数据库|小程序|公众号|网络|机房)$", "", cand)
        if len(cand) >= 3 and cand not in _GENERIC and not _VERBISH.search(head):
            out.append(cand)
    return out


def _first(rx: re.Pattern, text: str) -> str | None:
    c = _candidates(rx, text)
    return c[0] if c else None


def find_objects(problem: str, project: str | None = None, unit: str | None = None) -> ProblemObject:
    text = to_halfwidth(problem)
    quoted = [(q, suffix) for q, suffix in _QUOTED.findall(text) if not re.search(r"[，。；]", q)]
    named = next((q for q, suffix in quoted if suffix or re.search(r"项目|经费|费$|工程", q)), None)
    proj = project or named or ""
    book = _BOOK.search(text)
    company = _first(_COMPANY, text)
    if company:
        company = re.split(r"供应商|服务商|承接方|实施方|运维单位|服务单位|中标单位", company)[-1] or company
    sup = _SUPPLIER.search(text)
    role = _CONTRACTOR.search(text)
    supplier = company or (f"{sup.group(1)}{sup.group(2)}" if sup else None) or (role.group(0) if role else None)
    system = _first(_SYSTEM, text)
    if system is None and proj:
        pobj = project_object(proj)[0]
        if re.search(r"系统|平台|APP|网站|数据库|网络", pobj):
            system = pobj
    thing = f"《{book.group(1)}》" if book else _first(_THING, text)
    from_project = project_object(proj)[0] if proj else ""
    obj = system or thing or from_project or "该项目"
    who = unit or _unit(_QUOTED.sub("", text)) or "项目单位"
    name = re.sub(r"(?:项目)?(?:专项)?(?:经费|费)$", "", proj) or proj
    return ProblemObject(object=obj, project=f"“{name}”项目" if proj else "该项目",
                         unit=who, supplier=supplier, system=system)


def _unit(text: str) -> str | None:
    for m in _UNIT.finditer(text):
        u = m.group(1)
        if not _VERBISH.search(u[1:]):
            return u
    return None
