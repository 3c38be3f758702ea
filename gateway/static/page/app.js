// 信用查询: the reference page on the published schema.  No framework, no build step, nothing
// from outside: it sends only its own trusted documents (by hash, from /page/documents.json)
// and shows what the graph returns — sections, counts, records, provenance, a bureau that is
// down, its 报告说明 — without deciding anything itself.  The names of bureaus and record kinds
// are the graph's too (`sources`, `recordKinds`: the registry's), read once per page.  A report
// is numbered and sealed only when the reader asks for it (each one takes one of the day's
// numbers); anyone can verify a report's number and digest (核验报告).

const $ = (sel) => document.querySelector(sel);
const PAGE_SIZE = 10;

const LABELS = {
  status: { ACTIVE: '存续', DEREGISTERED: '注销', REVOKED: '吊销' },
  creditClass: { TRUSTWORTHY: '守信', WARNING: '警示', DISHONEST: '失信', SERIOUSLY_DISHONEST: '严重失信' },
  badge: { ACTIVE: '存续', DEREGISTERED: '注销', REVOKED: '吊销', INCENTIVE: '守信激励对象', PUNISHMENT: '失信惩戒对象' },
  severity: { MINOR: '轻微', GENERAL: '一般', SERIOUS: '严重' },
  repair: { NONE: '未申请修复', APPLIED: '修复申请审核中', REPAIRED: '已修复' },
};
const label = (group, value) => LABELS[group][value] ?? value;

// --- GraphQL over HTTP, trusted documents only ----------------------------------------------
let documents;
async function run(operation, variables) {
  documents ??= await (await fetch('/page/documents.json')).json();
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json' },
    body: JSON.stringify({ documentId: documents[operation], variables }),
  });
  const body = await response.json().catch(() => ({}));
  if (!('data' in body)) {
    const error = new Error(body.errors?.[0]?.message ?? `服务暂时不可用（${response.status}）`);
    error.code = body.errors?.[0]?.extensions?.code;
    throw error;
  }
  return body;
}

// --- the graph's names for its codes (the registry's: a bureau added there is named here) ------
// One request per page, kept for the page's life; until it answers, or if it cannot, a code is
// shown as the graph gives it (and the next report asks again).
let names;
function loadNames() {
  names ??= run('Names').then(({ data }) => ({
    source: new Map(data.sources.map((s) => [s.source, s.name])),
    kind: new Map(data.recordKinds.map((k) => [k.kind, k.name])),
    polarity: new Map(data.recordKinds.map((k) => [k.kind, k.polarity])),
  })).catch(() => {
    names = undefined;
    return { source: new Map(), kind: new Map(), polarity: new Map() };
  });
  return names;
}
let named = { source: new Map(), kind: new Map(), polarity: new Map() };
const nameOf = (group, code) => named[group].get(code) ?? code;

// --- small DOM helpers (text only: nothing from the graph is ever parsed as HTML) --------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}
function facts(pairs) {
  return el('dl', { class: 'facts' },
    pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}
function say(text, isError = false) {
  const status = $('#status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}
const yuan = (money) => (money ? `${Number(money.yuan).toLocaleString('zh-CN')} 元` : null);
// An instant as people in China read it (the graph sends RFC 3339 with an offset).
const when = (iso) => `${new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}（北京时间）`;
function ago(iso) {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return '刚刚';
  if (seconds < 3600) return `${Math.round(seconds / 60)} 分钟前`;
  return `${Math.round(seconds / 3600)} 小时前`;
}

// --- search ------------------------------------------------------------------------------------
async function search(name, after = null) {
  say('正在查询…');
  const { data } = await run('SearchEnterprises', { name, first: PAGE_SIZE, after });
  const found = data.searchEnterprises;
  say(found.totalCount ? `找到 ${found.totalCount} 家企业` : '没有找到名称包含该字词的企业');
  const list = el('ul', { class: 'results', 'aria-label': '检索结果' },
    found.edges.map(({ node }) => el('li', {},
      el('a', { href: `#/e/${encodeURIComponent(node.uscc)}` }, node.name),
      el('div', { class: 'meta' },
        `统一社会信用代码 ${node.uscc} · ${label('status', node.status)} · 成立于 ${node.establishedOn} · ${node.industry}`))));
  const more = found.pageInfo.hasNextPage
    ? el('button', { type: 'button', id: 'more' }, '下一页')
    : null;
  more?.addEventListener('click', () => show(() => search(name, found.pageInfo.endCursor)));
  $('#view').replaceChildren(list, more ?? '');
}

// --- one firm's report -----------------------------------------------------------------------
// Shown without a seal: a number is issued (and kept) only when the reader asks for one, and
// then the whole report is fetched again with it, so that what is shown is what was sealed.
async function report(uscc, sealed = false) {
  say(sealed ? '正在出具带编号的信用报告…' : '正在生成信用报告…');
  const [{ data, errors = [] }, found] = await Promise.all([
    run('EnterpriseReport', { uscc, sealed }), loadNames()]);
  named = found;
  const firm = data.enterprise;
  if (!firm) {
    say(errors[0]?.message ?? '没有任何部门登记该统一社会信用代码', Boolean(errors.length));
    $('#view').replaceChildren();
    return;
  }
  document.title = `${firm.name} · 信用查询`;
  const rep = firm.creditReport;
  const errorAt = (field) => errors.find((e) => e.path?.at(-1) === field);
  $('#view').replaceChildren(
    el('article', { class: 'card firm', 'aria-labelledby': 'firm-name' },
      el('h2', { id: 'firm-name', tabindex: '-1' }, firm.name),
      facts([
        ['统一社会信用代码', firm.uscc], ['登记状态', label('status', firm.status)],
        ['成立日期', firm.establishedOn], ['注册资本', yuan(firm.registeredCapital)],
        ['法定代表人', firm.legalRepresentative.name], ['行业', firm.industry], ['住所', firm.address],
      ])),
    rep ? reportView(rep, errorAt, firm.uscc, sealed) : el('p', { class: 'down', role: 'alert' }, errorAt('creditReport')?.message ?? '信用报告暂不可得'),
  );
  if (sealed && rep) {
    say(rep.seal ? `已出具带编号的信用报告：${rep.seal.number}` : `本报告暂未编号：${errorAt('seal')?.message ?? '报告登记库暂时不可用'}`, !rep.seal);
    $('#seal-title').focus?.(); // the reader pressed the button there: the number is read next
  } else {
    say(`${firm.name} 的公共信用报告`);
    $('#firm-name').focus?.(); // a screen reader hears the firm
  }
}

function reportView(rep, errorAt, uscc, sealed) {
  const cls = rep.classification;
  return el('article', { class: 'card', 'aria-labelledby': 'report-title' },
    el('h2', { id: 'report-title' }, '公共信用报告'),
    el('p', { class: 'meta' }, `报告日 ${rep.generatedOn}，查询期 ${rep.periodFrom} 至 ${rep.periodTo}`),
    sealView(rep.seal, sealed ? errorAt('seal') ?? {} : null, uscc),
    el('h3', {}, '综合评价'),
    cls
      ? [el('p', {}, el('span', { class: `class ${cls.creditClass}` }, label('creditClass', cls.creditClass))),
        el('ul', { class: 'badges', 'aria-label': '报告标识' }, cls.badges.map((b) => el('li', {}, label('badge', b)))),
        cls.reasons.length ? el('ul', {}, cls.reasons.map((r) => el('li', {}, r.message))) : null]
      : el('p', { class: 'down' }, `综合评价暂不可得：${errorAt('classification')?.message ?? '有部门未能提供数据'}`),
    rep.sections.map(sectionView),
    el('section', { class: 'sec advice', 'aria-labelledby': 'advice-title' },
      el('h3', { id: 'advice-title' }, '信用提升建议'),
      rep.advice === null
        ? el('p', { class: 'down' }, '有部门未能提供数据，暂不给出建议')
        : rep.advice.length
          ? el('ul', {}, rep.advice.map((a) => el('li', {}, a.message)))
          : el('p', { class: 'empty' }, '暂无建议')),
    notesView(rep.notes, Object.fromEntries(rep.sections.map((s) => [s.key, s.title]))));
}

// The number and digest are printed as issued: the verify form below takes them back as typed.
// Until the reader asks, the report has none (a view of the page takes none of the day's
// numbers); `error` is what kept an asked-for seal from being issued (null: not asked).
function sealView(seal, error, uscc) {
  if (seal) {
    return el('section', { class: 'seal', 'aria-labelledby': 'seal-title' },
      el('h3', { id: 'seal-title', tabindex: '-1' }, '报告编号与数字摘要'),
      facts([
        ['报告编号', el('code', { class: 'seal-number' }, seal.number)],
        ['数字摘要', el('code', { class: 'seal-digest' }, seal.digest)],
        ['出具时间', el('span', { class: 'seal-issued' }, when(seal.issuedAt))],
      ]),
      el('p', { class: 'hint' }, '持有本报告的任何人都可以在本页“核验报告”处输入编号和数字摘要，核验报告是否由本平台出具、内容是否被改动。'));
  }
  const issue = el('button', { type: 'button', id: 'issue-seal', 'aria-describedby': 'seal-hint' }, '出具带编号的信用报告');
  issue.addEventListener('click', () => {
    issue.disabled = true; // one press, one number
    show(() => report(uscc, true));
  });
  return el('section', { class: 'seal', 'aria-labelledby': 'seal-title' },
    el('h3', { id: 'seal-title', tabindex: '-1' }, '报告编号与数字摘要'),
    error
      ? el('p', { class: 'down' }, `本报告暂未编号：${error.message ?? '报告登记库暂时不可用'}（报告其余内容照常显示）`)
      : null,
    el('p', { class: 'hint', id: 'seal-hint' }, '本页显示的报告未编号。需要向他人出示时，可出具带编号的信用报告：平台为它编号并登记编号、出具时间和数字摘要（不保存报告内容），持有报告的任何人都可以在本页“核验报告”处核验。'),
    el('div', { class: 'row' }, issue));
}

function notesView(notes, titles) {
  return el('section', { class: 'sec notes', 'aria-labelledby': 'notes-title' },
    el('h3', { id: 'notes-title' }, '报告说明'),
    facts([['数据截止时间', notes.dataCutoff ? when(notes.dataCutoff) : '无（没有部门提供数据）']]),
    el('h4', {}, '各栏目数据来源'),
    el('ul', { class: 'sources' }, notes.sections.map((s) =>
      el('li', { 'data-key': s.key }, `${titles[s.key] ?? s.key}：${s.bureaus.length ? s.bureaus.join('、') : '无供数部门'}`))),
    el('h4', {}, '如何提出异议'),
    el('ul', { class: 'objections' }, notes.objections.map((o) =>
      el('li', { 'data-source': o.source },
        el('div', { class: 'rec-title' }, o.bureau),
        el('div', {}, o.channel),
        el('div', { class: 'meta' }, `依据：${o.instrument}`)))),
    notes.statements.length
      ? [el('h4', {}, '说明事项'), el('ul', { class: 'statements' }, notes.statements.map((t) => el('li', {}, t)))]
      : null);
}

function sectionView(sec) {
  const id = `sec-${sec.key}`;
  const down = sec.unavailableSources.map((s) => nameOf('source', s));
  const provenance = sec.provenance.map((p) =>
    `${nameOf('source', p.source)} · ${ago(p.fetchedAt)}取得${p.cached ? ' · 缓存' : ''}${p.stale ? ' · 过期数据（该部门暂不可用）' : ''}`);
  return el('section', { class: 'sec', id, 'aria-labelledby': `${id}-h`, 'data-key': sec.key },
    el('h3', { id: `${id}-h` }, sec.title, el('span', { class: 'count' }, `${sec.count} 条`)),
    provenance.length ? el('p', { class: 'prov' }, `数据来源：${provenance.join('；')}`) : null,
    down.length ? el('p', { class: 'down', role: 'note' }, `${down.join('、')}暂时无法提供数据，本栏目可能不完整`) : null,
    sec.emptyText ? el('p', { class: 'empty' }, sec.emptyText) : null,
    sec.records.length ? el('ol', { class: 'records' }, sec.records.map(recordView)) : null,
    sec.taxGrades.length ? el('ul', {}, sec.taxGrades.map((g) => el('li', {}, `${g.year} 年度纳税信用 ${g.grade} 级`))) : null);
}

function recordView(r) {
  const p = r.publicity;
  const until = p.visibleUntil ?? p.maxUntil;
  // No last day: the rule below says what ends it (performance, removal, the end of a
  // certification), never one wording for all kinds.
  const window = `公示期：${p.publishFrom} 起${until ? `，至 ${until}` : '，无固定截止日期'}${p.minUntil ? `（最短至 ${p.minUntil}）` : ''}`;
  const repair = r.repairStatus === 'REPAIRED'
    ? `已修复（${r.repairedOn ?? ''}）`
    : `${label('repair', r.repairStatus)}${p.repairableFrom ? `；可于 ${p.repairableFrom} 起申请信用修复` : '；不可修复'}`;
  // Only a record that counts against its subject can be repaired (the kind's polarity).
  const polarity = named.polarity.get(r.kind);
  return el('li', { 'data-kind': r.kind },
    el('div', { class: 'rec-title' }, r.title),
    el('div', {}, el('span', { class: 'tag kind' }, nameOf('kind', r.kind)),
      r.severity ? el('span', { class: 'tag' }, `${label('severity', r.severity)}失信`) : null,
      el('span', { class: 'tag' }, nameOf('source', r.source))),
    facts([['决定日期', r.decidedOn], ['决定机关', r.authority], ['依据', r.legalBasis], ['名单', r.listName],
      ['金额', yuan(r.amount)], ['履行或移出', r.endedOn]]),
    el('p', {}, window, el('br'), el('span', { class: 'meta' }, `依据：${p.legalBasis}`)),
    polarity === 'POSITIVE' || polarity === 'NEUTRAL' ? null : el('p', { class: 'repair' }, `修复状态：${repair}`));
}

// --- 核验报告: a number and digest → VALID / INVALID / UNKNOWN (never the report's content) -----
function verdict(kind, title, detail) {
  const out = $('#verify-result');
  out.dataset.verdict = kind;
  out.replaceChildren(el('strong', {}, title), ...(detail ? [el('span', {}, detail)] : []));
}
async function verify(number, digest) {
  const field = $('#vn');
  field.removeAttribute('aria-invalid');
  verdict('PENDING', '正在核验…');
  let found;
  let error;
  try {
    const { data, errors = [] } = await run('VerifyCreditReport', { number, digest });
    found = data?.verifyCreditReport;
    error = errors[0] && { message: errors[0].message, code: errors[0].extensions?.code };
  } catch (thrown) {
    error = thrown;
  }
  if (found?.verdict === 'VALID') {
    verdict('VALID', '核验通过：这份报告由本平台出具，内容未被改动。', `出具时间：${when(found.issuedAt)}`);
  } else if (found?.verdict === 'INVALID') {
    verdict('INVALID', '核验不符：本平台出具过这个编号的报告，但数字摘要对不上。',
      '报告可能被改动过，或摘要抄错了。请逐字核对摘要（64位，只含数字0-9和字母a-f），或向报告提供方索取原件。');
  } else if (found?.verdict === 'UNKNOWN') {
    verdict('UNKNOWN', '未找到：本平台没有出具过这个编号的报告。',
      '请核对编号；编号无误的，该报告不是本平台出具的。');
  } else if (error?.code === 'INVALID_REPORT_NUMBER') {
    field.setAttribute('aria-invalid', 'true');
    verdict('MALFORMED', '无法核验：请检查报告编号。', error.message);
    field.focus();
  } else {
    verdict('ERROR', '暂时无法核验。', error?.message ?? '服务暂时不可用，请稍后再试');
  }
}
$('#verify-form').addEventListener('submit', (event) => {
  event.preventDefault();
  verify($('#vn').value.trim(), $('#vd').value.trim());
});

// --- routing: #/q/<name> searches, #/e/<uscc> opens a firm --------------------------------------
async function show(action) {
  try {
    await action();
  } catch (error) {
    say(error.message, true);
  }
}
function route() {
  const [, kind, value = ''] = location.hash.split('/');
  const arg = decodeURIComponent(value);
  if (kind === 'q' && arg) {
    $('#q').value = arg;
    show(() => search(arg));
  } else if (kind === 'e' && arg) {
    show(() => report(arg));
  } else {
    say('');
    $('#view').replaceChildren();
  }
}
$('#search').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('#q').value.trim();
  if (name) location.hash = `#/q/${encodeURIComponent(name)}`;
});
window.addEventListener('hashchange', route);
loadNames();
route();
