// EngramApi: one typed method per engram action, over any transport that
// implements `request`. EngramProcess (process.ts) is the stdio NDJSON one.
import type {
  ActionDescription,
  AddLessonInput,
  Episode,
  EpisodeDeleted,
  EpisodeList,
  HealthStatus,
  JsonValue,
  KvDeleted,
  KvEntry,
  KvList,
  KvListInput,
  KvPutInput,
  Lesson,
  LessonDeleted,
  LessonFields,
  LessonHistory,
  LessonList,
  ListEpisodesInput,
  ListLessonsInput,
  LogStepInput,
  Outcome,
  StartEpisodeInput,
  Step,
  StoreMetrics,
} from "./types.js";

export interface RequestOptions {
  /** Overrides the client's default timeout for this request (ms; 0 = none). */
  timeoutMs?: number;
}

/** What a transport must provide: one request, one result or a rejection with EngramError. */
export interface EngramTransport {
  request<T>(action: string, payload?: object, options?: RequestOptions): Promise<T>;
}

// The wire accepts any JSON object (undefined members are dropped by
// JSON.stringify); typed inputs are interfaces, which TS
// does not consider assignable to an index-signature type, hence `object`.
type Payload = object;

export abstract class EngramApi implements EngramTransport {
  abstract request<T>(action: string, payload?: Payload, options?: RequestOptions): Promise<T>;

  /**
   * Any action by name, for actions added to the server after this client
   * (search_lessons, retrieve_context, ...).
   */
  call<T = JsonValue>(action: string, payload: Payload = {}, options?: RequestOptions): Promise<T> {
    return this.request<T>(action, payload, options);
  }

  /** Every action the server offers, with JSON Schemas of input and output. */
  async describe(options?: RequestOptions): Promise<ActionDescription[]> {
    const r = await this.request<{ actions: ActionDescription[] }>("describe", {}, options);
    return r.actions;
  }

  // ---------------------------------------------------------------- episodes

  startEpisode(input: StartEpisodeInput, options?: RequestOptions): Promise<Episode> {
    return this.request("start_episode", input, options);
  }
  logStep(input: LogStepInput, options?: RequestOptions): Promise<Step> {
    return this.request("log_step", input, options);
  }
  completeEpisode(episodeId: string, outcome: Outcome, options?: RequestOptions): Promise<Episode> {
    return this.request("complete_episode", { episode_id: episodeId, outcome }, options);
  }
  getEpisode(episodeId: string, options?: RequestOptions): Promise<Episode> {
    return this.request("get_episode", { episode_id: episodeId }, options);
  }
  listEpisodes(filter: ListEpisodesInput = {}, options?: RequestOptions): Promise<EpisodeList> {
    return this.request("list_episodes", filter, options);
  }
  deleteEpisode(episodeId: string, options?: RequestOptions): Promise<EpisodeDeleted> {
    return this.request("delete_episode", { episode_id: episodeId }, options);
  }

  // ----------------------------------------------------------------- lessons

  addLesson(input: AddLessonInput, options?: RequestOptions): Promise<Lesson> {
    return this.request("add_lesson", input, options);
  }
  getLesson(lessonId: string, options?: RequestOptions): Promise<Lesson> {
    return this.request("get_lesson", { lesson_id: lessonId }, options);
  }
  listLessons(filter: ListLessonsInput = {}, options?: RequestOptions): Promise<LessonList> {
    return this.request("list_lessons", filter, options);
  }
  /** Changes the given fields; the previous version goes to the lesson's history with `reason`. */
  updateLesson(
    lessonId: string,
    patch: LessonFields,
    reason?: string,
    options?: RequestOptions,
  ): Promise<Lesson> {
    return this.request("update_lesson", { ...patch, lesson_id: lessonId, reason }, options);
  }
  deprecateLesson(lessonId: string, reason?: string, options?: RequestOptions): Promise<Lesson> {
    return this.request("deprecate_lesson", { lesson_id: lessonId, reason }, options);
  }
  deleteLesson(lessonId: string, options?: RequestOptions): Promise<LessonDeleted> {
    return this.request("delete_lesson", { lesson_id: lessonId }, options);
  }
  lessonHistory(lessonId: string, options?: RequestOptions): Promise<LessonHistory> {
    return this.request("lesson_history", { lesson_id: lessonId }, options);
  }

  // ---------------------------------------------------------------------- kv

  kvPut<V extends JsonValue>(input: KvPutInput<V>, options?: RequestOptions): Promise<KvEntry<V>> {
    return this.request("kv_put", input, options);
  }
  kvGet<V extends JsonValue = JsonValue>(
    namespace: string,
    key: string,
    options?: RequestOptions,
  ): Promise<KvEntry<V>> {
    return this.request("kv_get", { namespace, key }, options);
  }
  kvList<V extends JsonValue = JsonValue>(input: KvListInput, options?: RequestOptions): Promise<KvList<V>> {
    return this.request("kv_list", input, options);
  }
  kvDelete(namespace: string, key: string, options?: RequestOptions): Promise<KvDeleted> {
    return this.request("kv_delete", { namespace, key }, options);
  }

  // ------------------------------------------------------------------ system

  healthCheck(options?: RequestOptions): Promise<HealthStatus> {
    return this.request("health_check", {}, options);
  }
  getMetrics(options?: RequestOptions): Promise<StoreMetrics> {
    return this.request("get_metrics", {}, options);
  }
  /** Resolves `{ok: true}`; rejects with `corruption` describing the problems found. */
  verifyStore(options?: RequestOptions): Promise<{ ok: boolean }> {
    return this.request("verify_store", {}, options);
  }
}
