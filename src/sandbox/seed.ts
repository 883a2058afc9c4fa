/**
 * The demo firm: "Hartwell & Pryce LLP", a matter-centric law firm with a US and a UK library.
 *
 * Built deterministically (fixed PRNG seed and fixed base date) so ids, dates and order are the
 * same on every start; tests should still read notable ids from `DemoIds` rather than hard-code.
 */
import {
  createRandom,
  Store,
  type ContainerRecord,
  type DefaultSecurity,
  type DocumentContent,
  type DocumentRecord,
  type FolderRecord,
  type Profile,
  type Trustee,
  type UserRecord,
  type WorkspaceRecord,
} from './store.js';
import { documentType } from './content.js';
import type { DemoIds, DemoUser } from './types.js';

/** Deliberately not 1 (on-prem's usual id) and not the reference's example value. */
export const DEMO_CUSTOMER_ID = 7315;
/** The seeded libraries' default names; `startSandbox({ libraries })` may name them otherwise. */
export const DEFAULT_LIBRARIES: readonly [string, string] = ['ACTIVE_US', 'ACTIVE_UK'];
const [US, UK] = DEFAULT_LIBRARIES;

/** "Now" for the seed's dates: the firm's data was last touched before this instant. */
const BASE_DATE = Date.UTC(2024, 5, 28, 17, 30, 0);
const DAY = 86_400_000;

export interface SeedResult {
  store: Store;
  ids: DemoIds;
  users: Record<string, DemoUser>;
}

interface UserSeed {
  key: string;
  id: string;
  fullName: string;
  password: string;
  groups: string[];
  preferredLibrary: string;
  isAdmin?: boolean;
}

const USERS: UserSeed[] = [
  { key: 'demo', id: 'JSMITH', fullName: 'Jane Smith', password: 'demo-jsmith', groups: ['LITIGATION', 'EMPLOYMENT'], preferredLibrary: US },
  { key: 'second', id: 'AKUMAR', fullName: 'Arjun Kumar', password: 'demo-akumar', groups: ['LITIGATION', 'CORPORATE'], preferredLibrary: US },
  { key: 'paralegal', id: 'PLEE', fullName: 'Priya Lee', password: 'demo-plee', groups: ['PARALEGALS'], preferredLibrary: US },
  { key: 'london', id: 'EMUELLER', fullName: 'Elke Müller', password: 'demo-emueller', groups: ['CORPORATE', 'LONDON'], preferredLibrary: UK },
  { key: 'admin', id: 'ITADMIN', fullName: 'Sam Ortiz (IT)', password: 'demo-itadmin', groups: ['ACCOUNTS'], preferredLibrary: US, isAdmin: true },
];

const GROUPS: Array<[string, string]> = [
  ['LITIGATION', 'Litigation Practice Group'],
  ['EMPLOYMENT', 'Employment Practice Group'],
  ['CORPORATE', 'Corporate & M&A'],
  ['PARALEGALS', 'Paralegals'],
  ['LONDON', 'London Office'],
  ['ACCOUNTS', 'Accounts Department'],
];

const user = (id: string, access_level: Trustee['access_level']): Trustee => ({ id, type: 'user', access_level });
const group = (id: string, access_level: Trustee['access_level']): Trustee => ({ id, type: 'group', access_level });

interface FolderOptions {
  defaultSecurity?: DefaultSecurity;
  acl?: Trustee[];
  owner?: string;
  folderType?: 'regular' | 'tab';
  description?: string;
  createDate?: number;
}

interface DocOptions {
  owner?: string;
  /** Versions 1..version are seeded; the last one is the latest. */
  version?: number;
  defaultSecurity?: DefaultSecurity;
  acl?: Trustee[];
  /** The text of a text document (its size is then the text's UTF-8 length). */
  text?: string;
  /** Bytes of generated content, instead of the seed's random size. */
  size?: number;
  comment?: string;
  operator?: string;
  /** Filed in these folders too. */
  alsoIn?: FolderRecord[];
  checkedOutBy?: string;
  createDate?: number;
  /** Extra profile fields (custom4.., class). */
  profile?: Profile;
}

interface StandardFolders {
  correspondence: FolderRecord;
  agreements: FolderRecord;
  research: FolderRecord;
  documents: FolderRecord;
  emails: FolderRecord;
  billing: FolderRecord;
}

/** Small helpers so the firm below reads like a description of the firm. */
class FirmBuilder {
  constructor(
    readonly store: Store,
    private readonly random: () => number,
  ) {}

  private dates(createDate?: number): { createDate: number; editDate: number } {
    const created = createDate ?? BASE_DATE - Math.floor(200 + this.random() * 900) * DAY - Math.floor(this.random() * DAY);
    const edited = Math.min(BASE_DATE, created + Math.floor(this.random() * 120) * DAY + Math.floor(this.random() * DAY));
    return { createDate: created, editDate: edited };
  }

  workspace(
    library: string,
    spec: {
      client: [string, string];
      matter: [string, string];
      practice: [string, string];
      owner: string;
      defaultSecurity: DefaultSecurity;
      acl?: Trustee[];
      description: string;
    },
  ): WorkspaceRecord {
    const number = this.store.nextContainerNumber(library);
    const [clientNo, clientName] = spec.client;
    const [matterNo, matterName] = spec.matter;
    this.store.clientNames.set(clientNo, clientName);
    this.store.matterNames.set(`${clientNo}/${matterNo}`, matterName);
    const { createDate, editDate } = this.dates();
    const w: WorkspaceRecord = {
      kind: 'workspace',
      id: `${library}!${number}`,
      library,
      number,
      name: `${clientName} – ${matterName} (${clientNo}-${matterNo})`,
      description: spec.description,
      defaultSecurity: spec.defaultSecurity,
      acl: spec.acl ?? [],
      owner: spec.owner,
      createDate,
      editDate,
      activityDate: editDate,
      emailPrefix: `m${clientNo}-${matterNo}`,
      isExternalAsNormal: false,
      projectCustom: ['', '', ''],
      profile: {
        class: 'WORKSPACE',
        subclass: '',
        author: spec.owner,
        operator: spec.owner,
        custom1: clientNo,
        custom1_description: clientName,
        custom2: matterNo,
        custom2_description: matterName,
        custom3: spec.practice[0],
        custom3_description: spec.practice[1],
      },
      childIds: [],
    };
    this.store.addContainer(w);
    return w;
  }

  /** Folders carry their workspace's client/matter/practice fields, as matter-centric firms set up. */
  folder(parent: ContainerRecord, name: string, opts: FolderOptions = {}): FolderRecord {
    const number = this.store.nextContainerNumber(parent.library);
    const workspaceId = parent.kind === 'workspace' ? parent.id : parent.workspaceId;
    const workspace = this.store.workspace(workspaceId)!;
    const owner = opts.owner ?? workspace.owner;
    const { createDate, editDate } = this.dates(opts.createDate);
    const profile: Profile = { class: 'DOC', subclass: '', author: owner, operator: owner };
    for (const k of ['custom1', 'custom1_description', 'custom2', 'custom2_description', 'custom3', 'custom3_description']) {
      const v = workspace.profile[k];
      if (v !== undefined) profile[k] = v;
    }
    const f: FolderRecord = {
      kind: 'folder',
      id: `${parent.library}!${number}`,
      library: parent.library,
      number,
      name,
      description: opts.description ?? '',
      defaultSecurity: opts.defaultSecurity ?? 'inherit',
      acl: opts.acl ?? [],
      owner,
      createDate,
      editDate,
      activityDate: editDate,
      emailPrefix: `f${number}`,
      isExternalAsNormal: false,
      projectCustom: ['', '', ''],
      profile,
      childIds: [],
      parentId: parent.id,
      workspaceId,
      folderType: opts.folderType ?? 'regular',
      documentIds: [],
    };
    this.store.addContainer(f);
    return f;
  }

  /**
   * A document with versions 1..`opts.version` (the random draws are those of the latest version,
   * made in the order the seed always made them, so adding fields changed no id or date).
   */
  document(folder: FolderRecord, fileName: string, opts: DocOptions = {}): DocumentRecord {
    const dot = fileName.lastIndexOf('.');
    const extension = fileName.slice(dot + 1);
    const number = this.store.nextDocumentNumber(folder.library);
    const dates = this.dates(opts.createDate);
    const randomSize = 18_000 + Math.floor(this.random() * 2_000_000);
    const content: DocumentContent = opts.text !== undefined ? { kind: 'text', text: opts.text } : { kind: 'generated' };
    const size = opts.text !== undefined ? Buffer.byteLength(opts.text, 'utf8') : (opts.size ?? randomSize);
    const owner = opts.owner ?? folder.owner;
    const latest = opts.version ?? 1;
    const filedAt = dates.createDate + DAY;
    let record: DocumentRecord | undefined;
    for (let version = 1; version <= latest; version++) {
      // Earlier versions: evenly spaced between creation and the last edit, smaller than the latest.
      const editDate = dates.createDate + Math.floor(((dates.editDate - dates.createDate) * version) / latest);
      const createDate = version === 1 ? dates.createDate : dates.createDate + Math.floor(((dates.editDate - dates.createDate) * (version - 1)) / latest);
      const versionSize = content.kind === 'text' || version === latest ? size : Math.floor((size * (version + 1)) / (latest + 1));
      record = {
        kind: 'document',
        id: `${folder.library}!${number}.${version}`,
        library: folder.library,
        number,
        version,
        name: fileName.slice(0, dot),
        extension,
        type: documentType(extension),
        size: versionSize,
        owner,
        createDate,
        editDate,
        defaultSecurity: opts.defaultSecurity ?? 'inherit',
        acl: [...(opts.acl ?? [])],
        folderId: folder.id,
        otherLocations: (opts.alsoIn ?? []).map((f) => ({ folderId: f.id, filedAt })),
        profile: {
          class: 'DOC',
          subclass: '',
          ...Object.fromEntries(Object.entries(folder.profile).filter(([k]) => k.startsWith('custom'))),
          ...opts.profile,
        },
        content,
        operator: opts.operator ?? owner,
        comment: opts.comment ?? '',
        ...(opts.checkedOutBy && version === latest ? { checkedOut: { by: opts.checkedOutBy, at: Math.min(BASE_DATE, editDate + DAY) } } : {}),
        history: [{ activity: version === 1 ? 'import' : 'new_version', user: owner, at: createDate }],
      };
      this.store.addDocument(record);
    }
    return record!;
  }

  /** The folders most matters start with; returns them by name. */
  standardFolders(w: WorkspaceRecord, billingOwner: string): StandardFolders {
    const correspondence = this.folder(w, 'Correspondence');
    this.folder(correspondence, '2023');
    this.folder(correspondence, '2024');
    const agreements = this.folder(w, 'Agreements');
    this.folder(agreements, 'Drafts');
    this.folder(agreements, 'Executed');
    const research = this.folder(w, 'Research');
    this.folder(research, 'Case Law');
    this.folder(research, 'Statutes & Regulations');
    const documents = this.folder(w, 'Documents', { folderType: 'tab' });
    const emails = this.folder(w, 'Emails', { folderType: 'tab' });
    const billing = this.folder(w, 'Billing & Fees', {
      defaultSecurity: 'private',
      owner: billingOwner,
      acl: [group('ACCOUNTS', 'read_write')],
      description: 'Engagement letter, invoices and fee estimates',
    });
    return { correspondence, agreements, research, documents, emails, billing };
  }
}

/**
 * `libraries`: the names of the US and UK libraries. iManage allows any name without `!` (reference
 * §1.4, §3); the sandbox answers library ids upper-case, so they are stored so.
 */
export function seedDemoFirm(libraries: readonly [string, string] = DEFAULT_LIBRARIES): SeedResult {
  // Shadows the module's defaults: everything below seeds under the names asked for.
  const [US, UK] = libraries.map((name) => name.toUpperCase()) as [string, string];
  const preferred = (seeded: string) => (seeded === DEFAULT_LIBRARIES[1] ? UK : US);
  const random = createRandom(0x1d2c3b4a);
  const store = new Store(DEMO_CUSTOMER_ID, [US, UK], random, {
    [US]: { container: 52_340, document: 1_204_118 },
    [UK]: { container: 71_905, document: 2_310_447 },
  });
  const users: Record<string, DemoUser> = {};
  let ssid = 1_004_381;
  for (const u of USERS) {
    ssid += 7 + Math.floor(random() * 50);
    const record: UserRecord = {
      id: u.id,
      fullName: u.fullName,
      email: `${u.id.toLowerCase()}@hartwellpryce.example`,
      password: u.password,
      userType: 'virtual',
      groups: u.groups,
      preferredLibrary: preferred(u.preferredLibrary),
      isAdmin: u.isAdmin ?? false,
      ssid: String(ssid),
    };
    store.users.set(u.id, record);
    users[u.key] = { id: u.id, password: u.password, name: u.fullName };
  }
  for (const [id, fullName] of GROUPS) store.groups.set(id, { id, fullName });

  const b = new FirmBuilder(store, random);

  // ---- ACTIVE_US -------------------------------------------------------------------------
  // The demo matter: private to the employment and litigation groups (paralegals may read).
  const acmeEmployment = b.workspace(US, {
    client: ['1001', 'Acme Corp'],
    matter: ['0007', 'Employment Matters'],
    practice: ['EMP', 'Employment'],
    owner: 'JSMITH',
    defaultSecurity: 'private',
    acl: [group('EMPLOYMENT', 'read_write'), group('LITIGATION', 'read_write'), group('PARALEGALS', 'read')],
    description: 'General employment advice and disputes for Acme Corp',
  });
  const acmeStd = b.standardFolders(acmeEmployment, 'JSMITH');
  b.document(acmeStd.correspondence, 'Letter to HR re policy update.docx');
  b.document(acmeStd.emails, 'RE_ Handbook revisions.msg', { owner: 'AKUMAR' });

  // Deep tree: Litigation › Claims › Smith v. Acme Corp › Discovery › Depositions › Transcripts.
  const litigation = b.folder(acmeEmployment, 'Litigation');
  const claims = b.folder(litigation, 'Claims');
  const smith = b.folder(claims, 'Smith v. Acme Corp (EEOC Charge 2023-114)');
  const discovery = b.folder(smith, 'Discovery');
  const depositions = b.folder(discovery, 'Depositions');
  b.folder(discovery, 'Document Requests');
  const transcripts = b.folder(depositions, 'Transcripts');
  b.document(transcripts, 'Deposition of R. Smith – Day 1.pdf');
  b.document(depositions, 'Deposition outline – HR Director.docx', { version: 3 });
  b.folder(claims, 'Doe v. Acme Corp');
  b.folder(litigation, 'Court Calendar');

  // 72 months of correspondence: the big folder.
  const byMonth = b.folder(acmeEmployment, 'Correspondence by month', {
    description: 'One folder per month, January 2019 to December 2024',
  });
  let monthCount = 0;
  for (let year = 2019; year <= 2024; year++) {
    for (let month = 1; month <= 12; month++) {
      const name = `${year}-${String(month).padStart(2, '0')}`;
      const f = b.folder(byMonth, name, { createDate: Math.min(BASE_DATE, Date.UTC(year, month - 1, 1, 9)) });
      if (year === 2024 && month <= 3) b.document(f, `Monthly summary ${name}.docx`);
      monthCount++;
    }
  }

  // Documents: one of them private to its author, so the demo user sees one fewer.
  const employmentAgreements = b.folder(acmeEmployment, 'Employment Agreements');
  b.document(employmentAgreements, 'Employment Agreement – J. Doe.docx', { version: 2 });
  b.document(employmentAgreements, 'Employment Agreement – M. Rossi.docx');
  b.document(employmentAgreements, 'Non-compete – template.docx');
  b.document(employmentAgreements, 'Severance terms – summary.pdf');
  const compensation = b.document(employmentAgreements, 'Compensation benchmarking.xlsx', { owner: 'AKUMAR', defaultSecurity: 'private' });

  // Private to the demo user and the employment group (the second user is in neither).
  const settlement = b.folder(acmeEmployment, 'Settlement Negotiations (Privileged)', {
    defaultSecurity: 'private',
    owner: 'JSMITH',
    acl: [user('JSMITH', 'full_access'), group('EMPLOYMENT', 'read_write')],
    description: 'Without-prejudice correspondence',
  });
  b.document(settlement, 'Settlement offer – draft.docx');
  b.folder(settlement, 'Mediation');

  // A folder whose only subfolder the demo user cannot see.
  const experts = b.folder(acmeEmployment, 'Expert Witnesses');
  const partnerNotes = b.folder(experts, 'Partner Notes – A. Kumar', {
    defaultSecurity: 'private',
    owner: 'AKUMAR',
    acl: [user('AKUMAR', 'full_access'), group('CORPORATE', 'read')],
  });
  b.document(partnerNotes, 'Expert shortlist.docx', { owner: 'AKUMAR' });

  // Read-only for the demo user: view by default, writable by its owner and the paralegals' lead.
  const courtFilings = b.folder(acmeEmployment, 'Court Filings (Final)', {
    defaultSecurity: 'view',
    owner: 'AKUMAR',
    acl: [user('AKUMAR', 'full_access'), group('PARALEGALS', 'read')],
    description: 'As filed; do not edit',
  });
  b.document(courtFilings, 'Answer to complaint – filed.pdf', { owner: 'AKUMAR' });

  const notes = b.folder(acmeEmployment, 'Notes');
  b.folder(acmeEmployment, 'Café Légal – Référence');

  const acmePatents = b.workspace(US, {
    client: ['1001', 'Acme Corp'],
    matter: ['0012', 'Patent Portfolio'],
    practice: ['IP', 'Intellectual Property'],
    owner: 'AKUMAR',
    defaultSecurity: 'public',
    description: 'Prosecution and maintenance of the Acme patent family',
  });
  b.standardFolders(acmePatents, 'AKUMAR');

  const globex = b.workspace(US, {
    client: ['1042', 'Globex Industries'],
    matter: ['0003', 'Series B Financing'],
    practice: ['CORP', 'Corporate'],
    owner: 'AKUMAR',
    defaultSecurity: 'view',
    acl: [group('CORPORATE', 'read_write')],
    description: 'Series B preferred stock financing',
  });
  const globexStd = b.standardFolders(globex, 'AKUMAR');
  // An ethical wall: the demo user is named with no_access, so reading it directly answers 403 (README "Security model").
  globexStd.billing.acl.push(user('JSMITH', 'no_access'));
  b.document(globexStd.agreements, 'Term sheet – Series B.pdf');
  b.folder(globex, 'Closing Set');

  const initech = b.workspace(US, {
    client: ['1108', 'Initech LLC'],
    matter: ['0001', 'Wrongful Termination Litigation'],
    practice: ['LIT', 'Litigation'],
    owner: 'JSMITH',
    defaultSecurity: 'public',
    description: 'Defence of wrongful termination claim',
  });
  const initechStd = b.standardFolders(initech, 'JSMITH');
  const pleadings = b.folder(initech, 'Pleadings');
  b.document(pleadings, 'Complaint.pdf');
  b.document(pleadings, 'Motion to dismiss – draft.docx', { version: 2 });
  b.document(initechStd.correspondence, 'Letter to opposing counsel.docx');

  const cafe = b.workspace(US, {
    client: ['1177', 'Café Légal SARL'],
    matter: ['0002', 'Lease Review'],
    practice: ['RE', 'Real Estate'],
    owner: 'JSMITH',
    defaultSecurity: 'public',
    description: 'Review of the Montréal café lease',
  });
  b.standardFolders(cafe, 'JSMITH');
  b.folder(cafe, 'Bail commercial – Révision');

  const wayne = b.workspace(US, {
    client: ['1203', 'Wayne Enterprises'],
    matter: ['0015', 'Merger Review'],
    practice: ['CORP', 'Corporate'],
    owner: 'AKUMAR',
    defaultSecurity: 'private',
    acl: [user('AKUMAR', 'full_access'), group('CORPORATE', 'read_write')],
    description: 'Confidential: proposed merger',
  });
  b.standardFolders(wayne, 'AKUMAR');
  b.folder(wayne, 'Board Materials');

  const stark = b.workspace(US, {
    client: ['1219', 'Stark Industries'],
    matter: ['0004', 'Export Compliance'],
    practice: ['REG', 'Regulatory'],
    owner: 'JSMITH',
    defaultSecurity: 'public',
    description: 'ITAR/EAR classification review',
  });
  b.standardFolders(stark, 'JSMITH');

  // ---- ACTIVE_UK -------------------------------------------------------------------------
  const mueller = b.workspace(UK, {
    client: ['2044', 'Müller GmbH'],
    matter: ['0001', 'Übernahme'],
    practice: ['MA', 'Mergers & Acquisitions'],
    owner: 'EMUELLER',
    defaultSecurity: 'public',
    acl: [group('LONDON', 'full_access')],
    description: 'Acquisition of Müller GmbH by a UK buyer',
  });
  b.standardFolders(mueller, 'EMUELLER');
  const dd = b.folder(mueller, 'Due Diligence – Prüfung');
  b.folder(dd, 'Verträge & Anlagen');
  b.folder(dd, 'Grundstücke');
  b.document(dd, 'Prüfbericht – Entwurf.docx', { owner: 'EMUELLER' });

  const tokyo = b.workspace(UK, {
    client: ['2051', 'Tokyo Trading KK'],
    matter: ['0004', '東京オフィス Lease'],
    practice: ['RE', 'Real Estate'],
    owner: 'EMUELLER',
    defaultSecurity: 'public',
    description: 'Lease of the Tokyo office',
  });
  b.standardFolders(tokyo, 'EMUELLER');
  const tokyoOffice = b.folder(tokyo, '東京オフィス', { description: '東京オフィスの賃貸借契約' });
  b.folder(tokyoOffice, '契約書');
  b.document(tokyoOffice, '賃貸借契約書.pdf', { owner: 'EMUELLER' });

  const brightwater = b.workspace(UK, {
    client: ['2102', 'Brightwater plc'],
    matter: ['0009', 'Pension Scheme Review'],
    practice: ['PEN', 'Pensions'],
    owner: 'EMUELLER',
    defaultSecurity: 'view',
    acl: [group('LONDON', 'read_write')],
    description: 'Defined-benefit scheme review',
  });
  b.standardFolders(brightwater, 'EMUELLER');

  const nunez = b.workspace(UK, {
    client: ['2117', 'Señora Núñez'],
    matter: ['0002', 'Estate Administration'],
    practice: ['PCS', 'Private Client'],
    owner: 'EMUELLER',
    defaultSecurity: 'public',
    description: 'Administration of the Núñez estate (Ærø property)',
  });
  b.standardFolders(nunez, 'EMUELLER');

  // ---- Documents with content (issue 17) ----------------------------------------------------
  // Seeded after everything above, so none of the ids and dates above moved.
  const documentsSeed = seedDocumentsWithContent(b, acmeEmployment, settlement);

  const workspaces: Record<string, string[]> = {};
  for (const lib of store.libraries) {
    workspaces[lib] = [...store.containers.values()]
      .filter((c): c is WorkspaceRecord => c.kind === 'workspace' && c.library === lib)
      .sort((x, y) => (x.name.toLowerCase() < y.name.toLowerCase() ? -1 : 1))
      .map((w) => w.id);
  }

  const ids: DemoIds = {
    customerId: DEMO_CUSTOMER_ID,
    libraries: [...store.libraries],
    preferredLibrary: US,
    workspaceWithDeepTree: acmeEmployment.id,
    deepFolderPath: [litigation.id, claims.id, smith.id, discovery.id],
    bigFolder: byMonth.id,
    bigFolderChildCount: monthCount,
    privateFolder: settlement.id,
    privateFolderOfOther: partnerNotes.id,
    parentOfPrivateFolderOfOther: experts.id,
    readOnlyFolder: courtFilings.id,
    unicodeFolder: tokyoOffice.id,
    emptyFolder: notes.id,
    folderWithDocuments: employmentAgreements.id,
    folderWithDocumentsCount: 4,
    privateWorkspaceOfOther: wayne.id,
    deniedFolder: globexStd.billing.id,
    workspaces,
    privateDocument: compensation.id,
    ...documentsSeed,
  };
  return { store, ids, users };
}

/** The words the text document's body holds, for search tests. */
const RESEARCH_NOTES = [
  'Research notes on the choice of law for the Acme employment claims.',
  'The employment agreements select Delaware law; Delaware courts enforce the indemnification clause',
  'as written where the employee acted in good faith. See the memo on advancement of expenses.',
  '',
].join('\n');

const PRODUCTION_SUBJECTS = [
  'Offer letter',
  'Performance review',
  'Payroll extract',
  'Board minutes',
  'HR policy manual',
  'Email to R. Smith',
  'Disciplinary record',
  'Severance calculation',
  'Org chart',
  'Expense report',
];
const PRODUCTION_EXTENSIONS = ['pdf', 'docx', 'msg', 'xlsx', 'eml', 'pptx', 'pdf', 'docx'];
const PRODUCTION_AUTHORS = ['JSMITH', 'AKUMAR', 'PLEE', 'EMUELLER', 'ITADMIN'];
const BIG_DOCUMENT_FOLDER_COUNT = 250;

type DocumentIds = Pick<
  DemoIds,
  | 'documentId'
  | 'documentFolder'
  | 'documentFolderOther'
  | 'checkedOutDocument'
  | 'bigDocumentFolder'
  | 'bigDocumentFolderCount'
  | 'textDocument'
  | 'unicodeDocument'
  | 'largeDocument'
  | 'sharedPrivateDocument'
>;

/**
 * Folders of the demo matter holding documents with versions, several filing locations, text
 * bodies and a large body; and a folder of 250 for paging.
 */
function seedDocumentsWithContent(b: FirmBuilder, matter: WorkspaceRecord, settlement: FolderRecord): DocumentIds {
  const statements = b.folder(matter, 'Witness Statements');
  const bundle = b.folder(matter, 'Trial Bundle', { description: 'Documents filed for the hearing' });
  const memos = b.folder(matter, 'Research Memos');
  const production = b.folder(matter, 'Document Production (Bates 0001–0250)', { description: 'Produced to the claimant, one document per Bates range' });

  const witness = b.document(statements, 'Witness statement – R. Smith.docx', {
    version: 3,
    alsoIn: [bundle],
    comment: 'Signed statement of the claimant; exhibits are in the trial bundle',
    operator: 'PLEE',
  });
  const checkedOut = b.document(statements, 'Witness statement – HR Director (draft).docx', { version: 2, checkedOutBy: 'AKUMAR' });
  // Readable by AKUMAR through its own folder; its second folder (privileged) he cannot see.
  const shared = b.document(statements, 'Settlement chronology.docx', { alsoIn: [settlement], comment: 'Timeline of the without-prejudice exchanges' });
  b.document(bundle, 'Agreement.pdf', { comment: 'The agreement as signed' });
  const large = b.document(bundle, 'Deposition video – R. Smith.mp4', { size: 2_684_354_560 + 4_321, comment: 'Day 1, full recording' });

  const text = b.document(memos, 'Research notes – choice of law.txt', { text: RESEARCH_NOTES });
  b.document(memos, 'Memo – restrictive covenants.txt', {
    text: 'Non-compete covenants in California are void; the indemnifications sought elsewhere are not at issue.\n',
  });
  b.document(memos, 'Client call notes.txt', {
    text: 'Call with the client about the hearing dates and witnesses.\n',
    comment: 'Discussed Delaware incorporation of the new subsidiary',
  });
  const unicode = b.document(memos, 'Résumé – "Zoë" 2024.pdf', { owner: 'EMUELLER' });

  // 250 documents: five authors, eight kinds of file, dates over five years, a few equal names.
  const pick = createRandom(0x0250_d0c5);
  for (let i = 1; i <= BIG_DOCUMENT_FOLDER_COUNT; i++) {
    const extension = PRODUCTION_EXTENSIONS[Math.floor(pick() * PRODUCTION_EXTENSIONS.length)]!;
    const subject = PRODUCTION_SUBJECTS[Math.floor(pick() * PRODUCTION_SUBJECTS.length)]!;
    const name = i % 50 === 0 ? 'Production cover letter' : `HP-${String(i).padStart(4, '0')} ${subject}`;
    const author = PRODUCTION_AUTHORS[i % PRODUCTION_AUTHORS.length]!;
    b.document(production, `${name}.${extension}`, {
      owner: author,
      operator: PRODUCTION_AUTHORS[(i + 2) % PRODUCTION_AUTHORS.length]!,
      createDate: Date.UTC(2019, 0, 1) + Math.floor(pick() * 5 * 365) * DAY,
      profile: { class: extension === 'msg' || extension === 'eml' ? 'EMAIL' : 'DOC' },
    });
  }

  return {
    documentId: witness.id,
    documentFolder: statements.id,
    documentFolderOther: bundle.id,
    checkedOutDocument: checkedOut.id,
    bigDocumentFolder: production.id,
    bigDocumentFolderCount: BIG_DOCUMENT_FOLDER_COUNT,
    textDocument: text.id,
    unicodeDocument: unicode.id,
    largeDocument: large.id,
    sharedPrivateDocument: shared.id,
  };
}
