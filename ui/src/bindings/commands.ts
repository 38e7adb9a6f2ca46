// Generated from the #[tauri::command]s in src-tauri/app/ipc/ by `cargo test` (app/ipc_table.rs). Do not edit.
import type { ActionItem } from "./ActionItem";
import type { AppSettings } from "./AppSettings";
import type { AppStatus } from "./AppStatus";
import type { Audience } from "./Audience";
import type { AutoReport } from "./AutoReport";
import type { BackupInfo } from "./BackupInfo";
import type { CallAdvice } from "./CallAdvice";
import type { CategoryInfo } from "./CategoryInfo";
import type { Channel } from "./Channel";
import type { ChannelInput } from "./ChannelInput";
import type { ChannelView } from "./ChannelView";
import type { ConflictView } from "./ConflictView";
import type { CredentialDetail } from "./CredentialDetail";
import type { CredentialInput } from "./CredentialInput";
import type { CredentialSummary } from "./CredentialSummary";
import type { Customer } from "./Customer";
import type { CustomerInput } from "./CustomerInput";
import type { DueItem } from "./DueItem";
import type { ExceptionDecision } from "./ExceptionDecision";
import type { ExceptionTag } from "./ExceptionTag";
import type { Finding } from "./Finding";
import type { Generated } from "./Generated";
import type { GeneratorSpec } from "./GeneratorSpec";
import type { Guide } from "./Guide";
import type { HistoryEntry } from "./HistoryEntry";
import type { ImportPreview } from "./ImportPreview";
import type { ImportReport } from "./ImportReport";
import type { ImportSource } from "./ImportSource";
import type { Incident } from "./Incident";
import type { IncidentInput } from "./IncidentInput";
import type { IncidentReport } from "./IncidentReport";
import type { Inquiry } from "./Inquiry";
import type { InquiryInput } from "./InquiryInput";
import type { InquiryView } from "./InquiryView";
import type { Invitation } from "./Invitation";
import type { KitView } from "./KitView";
import type { MergeReport } from "./MergeReport";
import type { NotifySettings } from "./NotifySettings";
import type { OnDuplicate } from "./OnDuplicate";
import type { PeopleView } from "./PeopleView";
import type { Person } from "./Person";
import type { PersonRole } from "./PersonRole";
import type { PickRequest } from "./PickRequest";
import type { PlaybookStep } from "./PlaybookStep";
import type { Post } from "./Post";
import type { PostInput } from "./PostInput";
import type { Preview } from "./Preview";
import type { Rekeyed } from "./Rekeyed";
import type { Renewal } from "./Renewal";
import type { RenewalInput } from "./RenewalInput";
import type { RenewalsView } from "./RenewalsView";
import type { Report } from "./Report";
import type { ReportFormat } from "./ReportFormat";
import type { Scope } from "./Scope";
import type { ShopHours } from "./ShopHours";
import type { SnapshotRecovery } from "./SnapshotRecovery";
import type { Strength } from "./Strength";
import type { SyncOutcome } from "./SyncOutcome";
import type { SyncStatus } from "./SyncStatus";
import type { Template } from "./Template";
import type { TimerStatus } from "./TimerStatus";
import type { Vendor } from "./Vendor";
import type { VendorInput } from "./VendorInput";

/** Sends one command; rejects with `{code, message, field}`. */
export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command of the window, typed as the Rust side declares it. */
export function commands(call: Call) {
  return {
    pickPath: (request: PickRequest) => call<string | null>("pick_path", { request }),
    showInFolder: (path: string) => call<void>("show_in_folder", { path }),
    shareStatus: () => call<SyncStatus>("share_status"),
    shareSetup: (folder: string, name: string) => call<SyncStatus>("share_setup", { folder, name }),
    shareJoin: (folder: string, code: string, name: string) => call<SyncStatus>("share_join", { folder, code, name }),
    shareInvite: (scope: Scope) => call<Invitation>("share_invite", { scope }),
    shareNow: () => call<MergeReport>("share_now"),
    shareConflicts: () => call<ConflictView[]>("share_conflicts"),
    shareResolve: (id: string) => call<ConflictView[]>("share_resolve", { id }),
    shareRemove: (device: string) => call<SyncStatus>("share_remove", { device }),
    status: () => call<AppStatus>("status"),
    dismissRollback: () => call<AppStatus>("dismiss_rollback"),
    setupStore: (passphrase: string) => call<AppStatus>("setup_store", { passphrase }),
    unlock: (passphrase: string) => call<AppStatus>("unlock", { passphrase }),
    lock: () => call<AppStatus>("lock"),
    openDemo: () => call<AppStatus>("open_demo"),
    leaveDemo: () => call<AppStatus>("leave_demo"),
    activity: () => call<void>("activity"),
    saveSettings: (settings: AppSettings) => call<AppSettings>("save_settings", { settings }),
    passwordStrength: (passphrase: string) => call<Strength>("password_strength", { passphrase }),
    generatePassword: (spec: GeneratorSpec) => call<Generated>("generate_password", { spec }),
    categories: () => call<CategoryInfo[]>("categories"),
    credSearch: (query: string) => call<CredentialSummary[]>("cred_search", { query }),
    credGet: (id: string) => call<CredentialDetail>("cred_get", { id }),
    credReveal: (id: string) => call<string>("cred_reveal", { id }),
    credAdd: (input: CredentialInput) => call<CredentialDetail>("cred_add", { input }),
    credUpdate: (id: string, input: CredentialInput) => call<CredentialDetail>("cred_update", { id, input }),
    credDelete: (id: string) => call<CredentialSummary>("cred_delete", { id }),
    credHistory: (id: string, reveal: boolean) => call<HistoryEntry[]>("cred_history", { id, reveal }),
    credRestore: (id: string, index: number) => call<CredentialDetail>("cred_restore", { id, index }),
    credCopy: (id: string, what: string) => call<number>("cred_copy", { id, what }),
    copyReply: (text: string) => call<void>("copy_reply", { text }),
    inqUnfilled: (text: string) => call<string[]>("inq_unfilled", { text }),
    dueItems: () => call<DueItem[]>("due_items"),
    uiReady: (navigation: number | null, script: number | null, answered: number | null) => call<void>("ui_ready", { navigation, script, answered }),
    backupInfo: () => call<BackupInfo>("backup_info"),
    backupConfigure: (autoDir: string | null, keep: number, recipients: string[]) => call<BackupInfo>("backup_configure", { autoDir, keep, recipients }),
    backupNow: () => call<AutoReport>("backup_now"),
    backupExport: (file: string) => call<Report>("backup_export", { file }),
    backupVerify: (file: string, passphrase: string | null, identity: string | null) => call<Report>("backup_verify", { file, passphrase, identity }),
    backupRestore: (file: string, passphrase: string | null, identity: string | null, into: string, newPassphrase: string | null) => call<AppStatus>("backup_restore", { file, passphrase, identity, into, newPassphrase }),
    calOverview: () => call<ChannelView[]>("cal_overview"),
    calChannelAdd: (input: ChannelInput) => call<Channel>("cal_channel_add", { input }),
    calChannelUpdate: (id: string, input: ChannelInput) => call<Channel>("cal_channel_update", { id, input }),
    calChannelDelete: (id: string) => call<number>("cal_channel_delete", { id }),
    calPosts: (channelId: string) => call<Post[]>("cal_posts", { channelId }),
    calPostsBetween: (from: string, to: string) => call<Post[]>("cal_posts_between", { from, to }),
    calPostLog: (channelId: string, input: PostInput) => call<Post>("cal_post_log", { channelId, input }),
    calPostPlan: (channelId: string, input: PostInput) => call<Post>("cal_post_plan", { channelId, input }),
    calPostDone: (id: string) => call<Post>("cal_post_done", { id }),
    calPostUpdate: (id: string, input: PostInput) => call<Post>("cal_post_update", { id, input }),
    calPostDelete: (id: string) => call<Post>("cal_post_delete", { id }),
    calIcsExport: (file: string) => call<string>("cal_ics_export", { file }),
    calIcsSuggested: () => call<string>("cal_ics_suggested"),
    calFeedSync: (channelId: string | null) => call<SyncOutcome[]>("cal_feed_sync", { channelId }),
    notifySettings: () => call<NotifySettings>("notify_settings"),
    notifySaveSettings: (settings: NotifySettings) => call<NotifySettings>("notify_save_settings", { settings }),
    notifySnooze: (key: string, days: number) => call<string>("notify_snooze", { key, days }),
    timerStatus: () => call<TimerStatus>("timer_status"),
    timerInstall: () => call<TimerStatus>("timer_install"),
    timerRemove: () => call<TimerStatus>("timer_remove"),
    pplOverview: () => call<PeopleView>("ppl_overview"),
    pplAdd: (name: string, role: PersonRole, email: string) => call<Person>("ppl_add", { name, role, email }),
    pplDepart: (id: string, on: string | null) => call<Person>("ppl_depart", { id, on }),
    pplReview: (id: string, credentialId: string, knew: boolean) => call<Person>("ppl_review", { id, credentialId, knew }),
    pplReviewLaptop: (id: string, device: string, theirs: boolean) => call<Person>("ppl_review_laptop", { id, device, theirs }),
    guideProgress: () => call<Guide>("guide_progress"),
    pplClearUnreviewed: (id: string) => call<number>("ppl_clear_unreviewed", { id }),
    pplRemove: (id: string) => call<Person>("ppl_remove", { id }),
    audit: () => call<Finding[]>("audit"),
    kitSheet: () => call<string>("kit_sheet"),
    kitMake: (shares: number, threshold: number, holders: string[]) => call<KitView>("kit_make", { shares, threshold, holders }),
    changePassphrase: (current: string, new_: string) => call<Rekeyed>("change_passphrase", { current, new: new_ }),
    kitRecover: (shares: string[], passphrase: string) => call<AppStatus>("kit_recover", { shares, passphrase }),
    recoverSnapshot: (passphrase: string) => call<SnapshotRecovery>("recover_snapshot", { passphrase }),
    vndList: () => call<Vendor[]>("vnd_list"),
    vndSave: (id: string | null, input: VendorInput) => call<Vendor>("vnd_save", { id, input }),
    vndDelete: (id: string) => call<Vendor>("vnd_delete", { id }),
    vndWho: (asset: string) => call<CallAdvice[]>("vnd_who", { asset }),
    renList: () => call<RenewalsView>("ren_list"),
    renSave: (id: string | null, input: RenewalInput) => call<Renewal>("ren_save", { id, input }),
    renDone: (id: string, due: string | null) => call<Renewal>("ren_done", { id, due }),
    renDelete: (id: string) => call<Renewal>("ren_delete", { id }),
    renStages: (stages: number[]) => call<number[]>("ren_stages", { stages }),
    renCheck: (kind: string, what: string) => call<Renewal>("ren_check", { kind, what }),
    incList: () => call<Incident[]>("inc_list"),
    incGet: (id: string) => call<Incident>("inc_get", { id }),
    incSave: (id: string | null, input: IncidentInput) => call<Incident>("inc_save", { id, input }),
    incLog: (id: string, text: string, at: string | null) => call<Incident>("inc_log", { id, text, at }),
    incAction: (id: string, text: string, owner: string, due: string | null) => call<ActionItem>("inc_action", { id, text, owner, due }),
    incActionDone: (actionId: string, done: boolean) => call<Incident>("inc_action_done", { actionId, done }),
    incClose: (id: string, note: string, reopen: boolean, at: string | null) => call<Incident>("inc_close", { id, note, reopen, at }),
    incDelete: (id: string) => call<Incident>("inc_delete", { id }),
    incReport: (id: string, format: ReportFormat, audience: Audience, shop: string) => call<IncidentReport>("inc_report", { id, format, audience, shop }),
    incReportSave: (id: string, format: ReportFormat, audience: Audience, shop: string, dir: string) => call<string>("inc_report_save", { id, format, audience, shop, dir }),
    custList: (query: string) => call<Customer[]>("cust_list", { query }),
    custGet: (id: string) => call<Customer>("cust_get", { id }),
    custAdd: (input: CustomerInput) => call<Customer>("cust_add", { input }),
    custUpdate: (id: string, input: CustomerInput) => call<Customer>("cust_update", { id, input }),
    custDelete: (id: string) => call<Customer>("cust_delete", { id }),
    custImportPreview: (file: string) => call<Preview>("cust_import_preview", { file }),
    custImport: (file: string, keepDuplicates: boolean) => call<number>("cust_import", { file, keepDuplicates }),
    inqList: (openOnly: boolean) => call<InquiryView[]>("inq_list", { openOnly }),
    inqGet: (id: string) => call<InquiryView>("inq_get", { id }),
    inqAdd: (input: InquiryInput) => call<Inquiry>("inq_add", { input }),
    inqReply: (id: string, text: string, promisedBy: string | null) => call<Inquiry>("inq_reply", { id, text, promisedBy }),
    inqClose: (id: string, followUp: string | null) => call<Inquiry>("inq_close", { id, followUp }),
    inqFollowedUp: (id: string) => call<Inquiry>("inq_followed_up", { id }),
    inqSpam: (id: string) => call<Inquiry>("inq_spam", { id }),
    inqPlaybook: (id: string, steps: PlaybookStep[]) => call<Inquiry>("inq_playbook", { id, steps }),
    inqException: (id: string, tag: ExceptionTag, decision: ExceptionDecision, note: string) => call<Inquiry>("inq_exception", { id, tag, decision, note }),
    inqTemplates: () => call<Template[]>("inq_templates"),
    inqRender: (id: string, templateId: string, shopName: string) => call<string>("inq_render", { id, templateId, shopName }),
    inqTemplateSave: (template: Template) => call<Template>("inq_template_save", { template }),
    importPreview: (source: ImportSource) => call<ImportPreview>("import_preview", { source }),
    importRun: (source: ImportSource, onDuplicate: OnDuplicate) => call<ImportReport>("import_run", { source, onDuplicate }),
    importCsvHeaders: (file: string) => call<string[]>("import_csv_headers", { file }),
    exportKeepass: (file: string, password: string) => call<number>("export_keepass", { file, password }),
    shopGet: () => call<ShopHours>("shop_get"),
    shopSave: (hours: ShopHours) => call<ShopHours>("shop_save", { hours }),
  };
}
