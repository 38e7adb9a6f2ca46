// The one typed door to the Rust side. Components never call `invoke` directly.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
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

export const api = {
  status: () => call<AppStatus>("status"),
  dismissRollback: () => call<AppStatus>("dismiss_rollback"),
  setupStore: (passphrase: string) => call<AppStatus>("setup_store", { passphrase }),
  unlock: (passphrase: string) => call<AppStatus>("unlock", { passphrase }),
  lock: () => call<AppStatus>("lock"),
  openDemo: () => call<AppStatus>("open_demo"),
  leaveDemo: () => call<AppStatus>("leave_demo"),
  activity: () => call<void>("activity"),
  saveSettings: (settings: AppSettings) => call<AppSettings>("save_settings", { settings }),
  changePassphrase: (current: string, next: string) => call<Rekeyed>("change_passphrase", { current, new: next }),
  passwordStrength: (passphrase: string) => call<Strength>("password_strength", { passphrase }),
  generatePassword: (spec: GeneratorSpec) => call<Generated>("generate_password", { spec }),
  categories: () => call<CategoryInfo[]>("categories"),
  search: (query: string) => call<CredentialSummary[]>("cred_search", { query }),
  get: (id: string) => call<CredentialDetail>("cred_get", { id }),
  reveal: (id: string) => call<string>("cred_reveal", { id }),
  add: (input: CredentialInput) => call<CredentialDetail>("cred_add", { input }),
  update: (id: string, input: CredentialInput) => call<CredentialDetail>("cred_update", { id, input }),
  remove: (id: string) => call<CredentialSummary>("cred_delete", { id }),
  history: (id: string, reveal: boolean) => call<HistoryEntry[]>("cred_history", { id, reveal }),
  restore: (id: string, index: number) => call<CredentialDetail>("cred_restore", { id, index }),
  copy: (id: string, what: "login" | "password" | "totp") => call<number>("cred_copy", { id, what }),
  dueItems: () => call<DueItem[]>("due_items"),
  uiReady: () => call<void>("ui_ready"),
  backupInfo: () => call<BackupInfo>("backup_info"),
  backupConfigure: (autoDir: string | null, keep: number, recipients: string[]) =>
    call<BackupInfo>("backup_configure", { autoDir, keep, recipients }),
  backupNow: () => call<AutoReport>("backup_now"),
  /** The platform's chooser; null when the owner cancels. */
  pickPath: (request: PickRequest) => call<string | null>("pick_path", { request }),
  /** The file manager on the folder of a file Noren wrote. */
  showInFolder: (path: string) => call<void>("show_in_folder", { path }),
  backupExport: (file: string) => call<Report>("backup_export", { file }),
  backupVerify: (file: string, passphrase: string | null, identity: string | null) =>
    call<Report>("backup_verify", { file, passphrase, identity }),
  backupRestore: (file: string, passphrase: string | null, identity: string | null, into: string, newPassphrase: string | null) =>
    call<AppStatus>("backup_restore", { file, passphrase, identity, into, newPassphrase }),
  onLocked: (f: () => void): Promise<UnlistenFn> => listen("noren://locked", f),
  onOpen: (f: (collection: string, id: string) => void): Promise<UnlistenFn> =>
    listen<{ collection: string; id: string }>("noren://open", (e) => f(e.payload.collection, e.payload.id)),
  onDueChanged: (f: () => void): Promise<UnlistenFn> => listen("noren://due-changed", f),
  calOverview: () => call<ChannelView[]>("cal_overview"),
  channelAdd: (input: ChannelInput) => call<Channel>("cal_channel_add", { input }),
  channelUpdate: (id: string, input: ChannelInput) => call<Channel>("cal_channel_update", { id, input }),
  channelDelete: (id: string) => call<number>("cal_channel_delete", { id }),
  posts: (channelId: string) => call<Post[]>("cal_posts", { channelId }),
  postsBetween: (from: string, to: string) => call<Post[]>("cal_posts_between", { from, to }),
  postLog: (channelId: string, input: PostInput) => call<Post>("cal_post_log", { channelId, input }),
  postPlan: (channelId: string, input: PostInput) => call<Post>("cal_post_plan", { channelId, input }),
  postDone: (id: string) => call<Post>("cal_post_done", { id }),
  postUpdate: (id: string, input: PostInput) => call<Post>("cal_post_update", { id, input }),
  postDelete: (id: string) => call<Post>("cal_post_delete", { id }),
  icsExport: (file: string) => call<string>("cal_ics_export", { file }),
  icsSuggested: () => call<string>("cal_ics_suggested"),
  feedSync: (channelId: string | null) => call<SyncOutcome[]>("cal_feed_sync", { channelId }),
  notifySettings: () => call<NotifySettings>("notify_settings"),
  notifySaveSettings: (settings: NotifySettings) => call<NotifySettings>("notify_save_settings", { settings }),
  notifySnooze: (key: string, days: number) => call<string>("notify_snooze", { key, days }),
  timerStatus: () => call<TimerStatus>("timer_status"),
  timerInstall: () => call<TimerStatus>("timer_install"),
  timerRemove: () => call<TimerStatus>("timer_remove"),
  customers: (query: string) => call<Customer[]>("cust_list", { query }),
  customer: (id: string) => call<Customer>("cust_get", { id }),
  customerAdd: (input: CustomerInput) => call<Customer>("cust_add", { input }),
  customerUpdate: (id: string, input: CustomerInput) => call<Customer>("cust_update", { id, input }),
  customerDelete: (id: string) => call<Customer>("cust_delete", { id }),
  importPreview: (file: string) => call<Preview>("cust_import_preview", { file }),
  importCustomers: (file: string, keepDuplicates: boolean) => call<number>("cust_import", { file, keepDuplicates }),
  inquiries: (openOnly: boolean) => call<InquiryView[]>("inq_list", { openOnly }),
  inquiry: (id: string) => call<InquiryView>("inq_get", { id }),
  inquiryAdd: (input: InquiryInput) => call<Inquiry>("inq_add", { input }),
  inquiryReply: (id: string, text: string, promisedBy: string | null) => call<Inquiry>("inq_reply", { id, text, promisedBy }),
  inquiryClose: (id: string, followUp: string | null) => call<Inquiry>("inq_close", { id, followUp }),
  inquiryFollowedUp: (id: string) => call<Inquiry>("inq_followed_up", { id }),
  inquirySpam: (id: string) => call<Inquiry>("inq_spam", { id }),
  inquiryPlaybook: (id: string, steps: PlaybookStep[]) => call<Inquiry>("inq_playbook", { id, steps }),
  inquiryException: (id: string, tag: ExceptionTag, decision: ExceptionDecision, note: string) =>
    call<Inquiry>("inq_exception", { id, tag, decision, note }),
  templates: () => call<Template[]>("inq_templates"),
  renderTemplate: (id: string, templateId: string, shopName: string) => call<string>("inq_render", { id, templateId, shopName }),
  /** The （…をここに） markers a reply still holds. */
  unfilled: (text: string) => call<string[]>("inq_unfilled", { text }),
  /** Copies a reply to paste into LINE or a review site (refused while markers are left). */
  copyReply: (text: string) => call<void>("copy_reply", { text }),
  saveTemplate: (template: Template) => call<Template>("inq_template_save", { template }),
  migratePreview: (source: ImportSource) => call<ImportPreview>("import_preview", { source }),
  migrateRun: (source: ImportSource, onDuplicate: OnDuplicate) => call<ImportReport>("import_run", { source, onDuplicate }),
  migrateCsvHeaders: (file: string) => call<string[]>("import_csv_headers", { file }),
  exportKeepass: (file: string, password: string) => call<number>("export_keepass", { file, password }),
  shopHours: () => call<ShopHours>("shop_get"),
  saveShopHours: (hours: ShopHours) => call<ShopHours>("shop_save", { hours }),
  people: () => call<PeopleView>("ppl_overview"),
  personAdd: (name: string, role: PersonRole, email: string) => call<Person>("ppl_add", { name, role, email }),
  personDepart: (id: string, on: string | null) => call<Person>("ppl_depart", { id, on }),
  /** For a login nobody is recorded as knowing: did they know its password? */
  personReview: (id: string, credentialId: string, knew: boolean) => call<Person>("ppl_review", { id, credentialId, knew }),
  personClearUnreviewed: (id: string) => call<number>("ppl_clear_unreviewed", { id }),
  /** The first-week guide: what is done, read from the store. */
  guide: () => call<Guide>("guide_progress"),
  personRemove: (id: string) => call<Person>("ppl_remove", { id }),
  audit: () => call<Finding[]>("audit"),
  kitSheet: () => call<string>("kit_sheet"),
  kitMake: (shares: number, threshold: number, holders: string[]) => call<KitView>("kit_make", { shares, threshold, holders }),
  kitRecover: (shares: string[], passphrase: string) => call<AppStatus>("kit_recover", { shares, passphrase }),
  recoverSnapshot: (passphrase: string) => call<SnapshotRecovery>("recover_snapshot", { passphrase }),
  vendors: () => call<Vendor[]>("vnd_list"),
  vendorSave: (id: string | null, input: VendorInput) => call<Vendor>("vnd_save", { id, input }),
  vendorDelete: (id: string) => call<Vendor>("vnd_delete", { id }),
  whoToCall: (asset: string) => call<CallAdvice[]>("vnd_who", { asset }),
  renewals: () => call<RenewalsView>("ren_list"),
  renewalSave: (id: string | null, input: RenewalInput) => call<Renewal>("ren_save", { id, input }),
  renewalDone: (id: string, due: string | null) => call<Renewal>("ren_done", { id, due }),
  renewalDelete: (id: string) => call<Renewal>("ren_delete", { id }),
  renewalStages: (stages: number[]) => call<number[]>("ren_stages", { stages }),
  renewalCheck: (kind: "ssl" | "domain", what: string) => call<Renewal>("ren_check", { kind, what }),
  incidents: () => call<Incident[]>("inc_list"),
  incident: (id: string) => call<Incident>("inc_get", { id }),
  incidentSave: (id: string | null, input: IncidentInput) => call<Incident>("inc_save", { id, input }),
  incidentLog: (id: string, text: string, at: string | null = null) => call<Incident>("inc_log", { id, text, at }),
  incidentAction: (id: string, text: string, owner: string, due: string | null) => call<ActionItem>("inc_action", { id, text, owner, due }),
  incidentActionDone: (actionId: string, done: boolean) => call<Incident>("inc_action_done", { actionId, done }),
  incidentClose: (id: string, note: string, reopen: boolean, at: string | null = null) => call<Incident>("inc_close", { id, note, reopen, at }),
  incidentDelete: (id: string) => call<Incident>("inc_delete", { id }),
  incidentReport: (id: string, format: ReportFormat, audience: Audience, shop: string) =>
    call<IncidentReport>("inc_report", { id, format, audience, shop }),
  incidentReportSave: (id: string, format: ReportFormat, audience: Audience, shop: string, dir: string) =>
    call<string>("inc_report_save", { id, format, audience, shop, dir }),
};
