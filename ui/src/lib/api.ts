// The one typed door to the Rust side. Components never call `invoke` directly.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { commands } from "../bindings/commands";
import type { AppSettings } from "../bindings/AppSettings";
import type { Rekeyed } from "../bindings/Rekeyed";
import type { AutoReport } from "../bindings/AutoReport";
import type { BackupInfo } from "../bindings/BackupInfo";
import type { Report } from "../bindings/Report";
import type { PickRequest } from "../bindings/PickRequest";
import type { Guide } from "../bindings/Guide";
import type { AppStatus } from "../bindings/AppStatus";
import type { CategoryInfo } from "../bindings/CategoryInfo";
import type { CredentialDetail } from "../bindings/CredentialDetail";
import type { CredentialInput } from "../bindings/CredentialInput";
import type { CredentialSummary } from "../bindings/CredentialSummary";
import type { DueItem } from "../bindings/DueItem";
import type { Generated } from "../bindings/Generated";
import type { GeneratorSpec } from "../bindings/GeneratorSpec";
import type { HistoryEntry } from "../bindings/HistoryEntry";
import type { IpcError } from "../bindings/IpcError";
import type { Strength } from "../bindings/Strength";
import type { Channel } from "../bindings/Channel";
import type { ChannelInput } from "../bindings/ChannelInput";
import type { ChannelKind } from "../bindings/ChannelKind";
import type { ChannelView } from "../bindings/ChannelView";
import type { Post } from "../bindings/Post";
import type { PostInput } from "../bindings/PostInput";
import type { QuietPeriod } from "../bindings/QuietPeriod";
import type { NotifySettings } from "../bindings/NotifySettings";
import type { TimerStatus } from "../bindings/TimerStatus";
import type { SyncOutcome } from "../bindings/SyncOutcome";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { Invitation } from "../bindings/Invitation";
import type { Scope } from "../bindings/Scope";
import type { ConflictView } from "../bindings/ConflictView";
import type { Customer } from "../bindings/Customer";
import type { CustomerInput } from "../bindings/CustomerInput";
import type { Contact } from "../bindings/Contact";
import type { ContactKind } from "../bindings/ContactKind";
import type { Agreement } from "../bindings/Agreement";
import type { Preview } from "../bindings/Preview";
import type { Inquiry } from "../bindings/Inquiry";
import type { InquiryInput } from "../bindings/InquiryInput";
import type { InquiryView } from "../bindings/InquiryView";
import type { InquiryKind } from "../bindings/InquiryKind";
import type { PlaybookStep } from "../bindings/PlaybookStep";
import type { ExceptionTag } from "../bindings/ExceptionTag";
import type { ExceptionDecision } from "../bindings/ExceptionDecision";
import type { Template } from "../bindings/Template";
import type { ShopHours } from "../bindings/ShopHours";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportReport } from "../bindings/ImportReport";
import type { ImportSource } from "../bindings/ImportSource";
import type { Mapping } from "../bindings/Mapping";
import type { OnDuplicate } from "../bindings/OnDuplicate";
import type { Vendor } from "../bindings/Vendor";
import type { VendorInput } from "../bindings/VendorInput";
import type { VendorRole } from "../bindings/VendorRole";
import type { VendorContact } from "../bindings/VendorContact";
import type { Contract } from "../bindings/Contract";
import type { FeeKind } from "../bindings/FeeKind";
import type { CallAdvice } from "../bindings/CallAdvice";
import type { Renewal } from "../bindings/Renewal";
import type { RenewalInput } from "../bindings/RenewalInput";
import type { RenewalKind } from "../bindings/RenewalKind";
import type { RenewalsView } from "../bindings/RenewalsView";
import type { CardConflict } from "../bindings/CardConflict";
import type { Incident } from "../bindings/Incident";
import type { IncidentInput } from "../bindings/IncidentInput";
import type { Impact } from "../bindings/Impact";
import type { ActionItem } from "../bindings/ActionItem";
import type { IncidentReport } from "../bindings/IncidentReport";
import type { ReportFormat } from "../bindings/ReportFormat";
import type { Audience } from "../bindings/Audience";
import type { Person } from "../bindings/Person";
import type { PersonRole } from "../bindings/PersonRole";
import type { PeopleView } from "../bindings/PeopleView";
import type { Departure } from "../bindings/Departure";
import type { Finding } from "../bindings/Finding";
import type { KitView } from "../bindings/KitView";
import type { SnapshotRecovery } from "../bindings/SnapshotRecovery";

export type { AutoReport, BackupInfo, Report };
export type { Customer, CustomerInput, Contact, ContactKind, Agreement, Preview, Inquiry, InquiryInput, InquiryView, InquiryKind, PlaybookStep, ExceptionTag, ExceptionDecision, Template, ShopHours };
export type { ImportPreview, ImportReport, ImportSource, Mapping, OnDuplicate };
export type { Vendor, VendorInput, VendorRole, VendorContact, Contract, FeeKind, CallAdvice, Renewal, RenewalInput, RenewalKind, RenewalsView, CardConflict };
export type { Incident, IncidentInput, Impact, ActionItem, IncidentReport, ReportFormat, Audience };
export type { Person, PersonRole, PeopleView, Departure, Finding, KitView };
export type { SyncStatus, Invitation, Scope, ConflictView };
export type { Channel, ChannelInput, ChannelKind, ChannelView, Post, PostInput, QuietPeriod, NotifySettings, TimerStatus, SyncOutcome };

/** A full ChannelInput from the fields given (the rest: unchanged). */
export function channelInput(p: Partial<ChannelInput>): ChannelInput {
  return { kind: null, name: null, url: null, feed_url: null, rhythm: null, owner: null, paused: null, quiet_periods: null, ...p };
}

/** A full CustomerInput from the fields given (the rest: unchanged). */
export function customerInput(p: Partial<CustomerInput>): CustomerInput {
  return { name: null, kana: null, contacts: null, notes: null, agreements: null, tags: null, log: null, ...p };
}

/** A full InquiryInput from the fields given. */
export function inquiryInput(p: Partial<InquiryInput>): InquiryInput {
  return { customer: null, sender: null, channel: null, received_at: null, summary: null, message: null, kind: null, reply_within: null, ...p };
}

/** A full VendorInput from the fields given (the rest: unchanged). */
export function vendorInput(p: Partial<VendorInput>): VendorInput {
  return { company: null, role: null, contacts: null, phone: null, email: null, form_url: null, assets: null, contract: null, no_contract: false, note: null, ...p };
}

/** A full RenewalInput from the fields given (the rest: unchanged). */
export function renewalInput(p: Partial<RenewalInput>): RenewalInput {
  return { kind: null, name: null, due: null, auto_renew: null, card: null, links: null, period_months: null, note: null, check_target: null, ...p };
}

/** A full IncidentInput from the fields given (the rest: unchanged). */
export function incidentInput(p: Partial<IncidentInput>): IncidentInput {
  return {
    title: null, detected_at: null, detection: null, situation: null, checked: null, impact: null, cause: null,
    countermeasure_temp: null, countermeasure_perm: null, prevention: null, handled_by: null, cost_yen: null, internal_note: null, vendor_id: null, credential_ids: null,
    ...p,
  };
}

/** A full PostInput from the fields given. */
export function postInput(p: Partial<PostInput>): PostInput {
  return { at: null, planned_for: null, title: null, url: null, note: null, ...p };
}
export type { AppSettings, AppStatus, CategoryInfo, CredentialDetail, CredentialInput, CredentialSummary, DueItem, Generated, GeneratorSpec, HistoryEntry, IpcError, Strength };

/** Rejections always carry `{code, message, field}`. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    if (e && typeof e === "object" && "code" in e) throw e as IpcError;
    throw { code: "internal", message: String(e), field: null } satisfies IpcError;
  }
}

// The commands, their arguments and results come from the Rust side
// (bindings/commands.ts, generated by `cargo test`); here they only get the
// names the screens use.
const c = commands(call);

export const api = {
  status: c.status,
  dismissRollback: c.dismissRollback,
  setupStore: c.setupStore,
  unlock: c.unlock,
  lock: c.lock,
  openDemo: c.openDemo,
  leaveDemo: c.leaveDemo,
  activity: c.activity,
  saveSettings: c.saveSettings,
  changePassphrase: c.changePassphrase,
  passwordStrength: c.passwordStrength,
  generatePassword: c.generatePassword,
  categories: c.categories,
  search: c.credSearch,
  get: c.credGet,
  reveal: c.credReveal,
  add: c.credAdd,
  update: c.credUpdate,
  remove: c.credDelete,
  history: c.credHistory,
  restore: c.credRestore,
  copy: (id: string, what: "login" | "password" | "totp") => c.credCopy(id, what),
  dueItems: c.dueItems,
  uiReady: c.uiReady,
  backupInfo: c.backupInfo,
  backupConfigure: c.backupConfigure,
  backupNow: c.backupNow,
  /** The platform's chooser; null when the owner cancels. */
  pickPath: c.pickPath,
  /** The file manager on the folder of a file Noren wrote. */
  showInFolder: c.showInFolder,
  backupExport: c.backupExport,
  backupVerify: c.backupVerify,
  backupRestore: c.backupRestore,
  onLocked: (f: () => void): Promise<UnlistenFn> => listen("noren://locked", f),
  onOpen: (f: (collection: string, id: string) => void): Promise<UnlistenFn> =>
    listen<{ collection: string; id: string }>("noren://open", (e) => f(e.payload.collection, e.payload.id)),
  onDueChanged: (f: () => void): Promise<UnlistenFn> => listen("noren://due-changed", f),
  /** Changes from the shop's other laptops arrived (the reminder loop merged the shared folder). */
  onShared: (f: () => void): Promise<UnlistenFn> => listen("noren://shared", f),
  shareStatus: c.shareStatus,
  shareSetup: c.shareSetup,
  shareJoin: c.shareJoin,
  shareInvite: c.shareInvite,
  shareNow: c.shareNow,
  shareConflicts: c.shareConflicts,
  shareResolve: c.shareResolve,
  shareRemove: c.shareRemove,
  calOverview: c.calOverview,
  channelAdd: c.calChannelAdd,
  channelUpdate: c.calChannelUpdate,
  channelDelete: c.calChannelDelete,
  posts: c.calPosts,
  postsBetween: c.calPostsBetween,
  postLog: c.calPostLog,
  postPlan: c.calPostPlan,
  postDone: c.calPostDone,
  postUpdate: c.calPostUpdate,
  postDelete: c.calPostDelete,
  icsExport: c.calIcsExport,
  icsSuggested: c.calIcsSuggested,
  feedSync: c.calFeedSync,
  notifySettings: c.notifySettings,
  notifySaveSettings: c.notifySaveSettings,
  notifySnooze: c.notifySnooze,
  timerStatus: c.timerStatus,
  timerInstall: c.timerInstall,
  timerRemove: c.timerRemove,
  customers: c.custList,
  customer: c.custGet,
  customerAdd: c.custAdd,
  customerUpdate: c.custUpdate,
  customerDelete: c.custDelete,
  importPreview: c.custImportPreview,
  importCustomers: c.custImport,
  inquiries: c.inqList,
  inquiry: c.inqGet,
  inquiryAdd: c.inqAdd,
  inquiryReply: c.inqReply,
  inquiryClose: c.inqClose,
  inquiryFollowedUp: c.inqFollowedUp,
  inquirySpam: c.inqSpam,
  inquiryPlaybook: c.inqPlaybook,
  inquiryException: c.inqException,
  templates: c.inqTemplates,
  renderTemplate: c.inqRender,
  /** The （…をここに） markers a reply still holds. */
  unfilled: c.inqUnfilled,
  /** Copies a reply to paste into LINE or a review site (refused while markers are left). */
  copyReply: c.copyReply,
  saveTemplate: c.inqTemplateSave,
  migratePreview: c.importPreview,
  migrateRun: c.importRun,
  migrateCsvHeaders: c.importCsvHeaders,
  exportKeepass: c.exportKeepass,
  shopHours: c.shopGet,
  saveShopHours: c.shopSave,
  people: c.pplOverview,
  personAdd: c.pplAdd,
  personDepart: c.pplDepart,
  /** For a login nobody is recorded as knowing: did they know its password? */
  personReview: c.pplReview,
  /** For one of the shop's laptops on a departure's checklist: was it theirs? */
  personReviewLaptop: c.pplReviewLaptop,
  personClearUnreviewed: c.pplClearUnreviewed,
  /** The first-week guide: what is done, read from the store. */
  guide: c.guideProgress,
  personRemove: c.pplRemove,
  audit: c.audit,
  kitSheet: c.kitSheet,
  kitMake: c.kitMake,
  kitRecover: c.kitRecover,
  recoverSnapshot: c.recoverSnapshot,
  vendors: c.vndList,
  vendorSave: c.vndSave,
  vendorDelete: c.vndDelete,
  whoToCall: c.vndWho,
  renewals: c.renList,
  renewalSave: c.renSave,
  renewalDone: c.renDone,
  renewalDelete: c.renDelete,
  renewalStages: c.renStages,
  renewalCheck: (kind: "ssl" | "domain", what: string) => c.renCheck(kind, what),
  incidents: c.incList,
  incident: c.incGet,
  incidentSave: c.incSave,
  incidentLog: (id: string, text: string, at: string | null = null) => c.incLog(id, text, at),
  incidentAction: c.incAction,
  incidentActionDone: c.incActionDone,
  incidentClose: (id: string, note: string, reopen: boolean, at: string | null = null) => c.incClose(id, note, reopen, at),
  incidentDelete: c.incDelete,
  incidentReport: c.incReport,
  incidentReportSave: c.incReportSave,
};
