import { requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import {
  formBody,
  IdParams,
  NoticeText,
  noticeOf,
  PageNumber,
  pageOf,
  postForm,
  SearchText,
  sendPage,
  typed,
  viewContextOf,
} from '@ates/platform/http';
import type { Notice } from '@ates/platform/views';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { taskCompleter } from '../../app/completeTask.ts';
import { taskCreator } from '../../app/createTask.ts';
import { shuffleOpenTasks } from '../../app/shuffleOpenTasks.ts';
import { shufflingRoles } from '../../domain/roles.ts';
import type { Task, TaskStatus } from '../../domain/task.ts';
import { listTasks } from '../db/tasksTable.ts';
import { allTasksPage, confirmShufflePage, type Listing, myTasksPage, type TasksView } from './views/tasksPages.ts';

const pageSize = 50;
const notices: Record<string, string> = {
  created: 'Task created and assigned.',
  completed: 'Marked done. Well done, popug!',
};

function publicTask(task: Task & { assigneeName?: string }) {
  return {
    id: task.id,
    title: task.title,
    jira_id: task.jiraId,
    description: task.description,
    status: task.status,
    creator_id: task.creatorId,
    assignee_id: task.assigneeId,
    assignee_name: task.assigneeName,
    assign_fee: task.assignFee,
    completion_reward: task.completionReward,
    created_at: task.createdAt,
    completed_at: task.completedAt,
  };
}

const TaskListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('')])),
  search: Type.Optional(SearchText),
  page: Type.Optional(PageNumber),
});
type TaskListQuery = Static<typeof TaskListQuery>;
/** What a page was redirected with to show a notice: `?done=shuffled&n=12`. */
const TaskPageQuery = Type.Composite([
  TaskListQuery,
  Type.Object({ done: Type.Optional(NoticeText), n: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })) }),
]);

function readListQuery(query: TaskListQuery): { status: TaskStatus | undefined; search: string; page: number } {
  return { status: query.status || undefined, search: (query.search ?? '').trim(), page: pageOf(query) };
}

const NewTask = Type.Object(
  {
    title: Type.String({ maxLength: 1_000 }),
    jira_id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);

export async function taskRoutes(app: FastifyInstance, options: { pool: Pool; readPool: Pool }): Promise<void> {
  const { pool, readPool } = options;
  const createTask = taskCreator(pool);
  const completeTask = taskCompleter(pool);
  const api = typed(app);
  const signedIn = { preValidation: requireRole() };
  const shufflers = { preValidation: requireRole(...shufflingRoles) };
  const userOf = (request: FastifyRequest) => request.user!;

  const list = async (query: TaskListQuery, assigneeId?: string): Promise<Listing> => {
    const { status, search, page } = readListQuery(query);
    const { tasks, total } = await listTasks(readPool, {
      status,
      search,
      assigneeId,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { tasks, total, page, pageSize, status: status ?? '', search };
  };
  const listed = (listing: Listing) => ({
    tasks: listing.tasks.map(publicTask),
    total: listing.total,
    page: listing.page,
    page_size: pageSize,
  });

  const listedApi = (summary: string) => ({ ...signedIn, schema: { summary, querystring: TaskListQuery } });
  api.get('/api/tasks', listedApi('List every task, newest first, 50 a page'), async (request) =>
    listed(await list(request.query)),
  );
  api.get('/api/tasks/mine', listedApi('List the tasks assigned to me'), async (request) =>
    listed(await list(request.query, userOf(request).id)),
  );
  api.post(
    '/api/tasks',
    {
      ...signedIn,
      schema: { summary: 'Create a task; it is priced and assigned to a random popug at once', body: NewTask },
    },
    async (request, reply) => {
      const { title, jira_id, description } = request.body;
      const task = await createTask({ title, jiraId: jira_id, description }, userOf(request).id, request.traceId);
      return reply.status(201).send(publicTask(task));
    },
  );
  api.post(
    '/api/tasks/:id/complete',
    { ...signedIn, schema: { summary: 'Mark my task done (only its assignee)', params: IdParams } },
    async (request) => publicTask(await completeTask(request.params.id, userOf(request).id, request.traceId)),
  );
  api.post(
    '/api/tasks/shuffle',
    { ...shufflers, schema: { summary: 'Reassign every open task to a random popug (admin, manager)' } },
    async (request) => ({
      reassigned: await shuffleOpenTasks(pool, request.traceId),
    }),
  );

  const view = (request: FastifyRequest, notice?: Notice): TasksView => ({
    ...viewContextOf(request, notice),
    userId: userOf(request).id,
    canShuffle: shufflingRoles.includes(userOf(request).role),
  });

  const paged = { ...signedIn, schema: { querystring: TaskPageQuery } };
  api.get('/', paged, async (request, reply) => {
    const { done, n } = request.query;
    const notice =
      done === 'shuffled'
        ? { kind: 'info' as const, text: `Shuffled: ${Number(n) || 0} open tasks reassigned.` }
        : noticeOf(done, notices);
    return sendPage(reply, allTasksPage(view(request, notice), await list(request.query)));
  });
  api.get('/my', paged, async (request, reply) =>
    sendPage(
      reply,
      myTasksPage(view(request, noticeOf(request.query.done, notices)), await list(request.query, userOf(request).id)),
    ),
  );

  api.post(
    '/tasks',
    { ...signedIn, schema: { body: formBody('title', 'jira_id', 'description') } },
    async (request, reply) => {
      const draft = request.body;
      return postForm(
        reply,
        async () => {
          const task = { title: draft.title ?? '', jiraId: draft.jira_id, description: draft.description };
          await createTask(task, userOf(request).id, request.traceId);
          return '/?done=created';
        },
        async (notice) => allTasksPage(view(request, notice), await list({}), draft),
      );
    },
  );
  api.post('/tasks/:id/done', { ...signedIn, schema: { params: IdParams, body: formBody() } }, async (request, reply) =>
    postForm(
      reply,
      async () => {
        await completeTask(request.params.id, userOf(request).id, request.traceId);
        return '/my?done=completed';
      },
      async (notice) => myTasksPage(view(request, notice), await list({}, userOf(request).id)),
    ),
  );
  api.get('/shuffle', shufflers, async (request, reply) => {
    const open = await listTasks(readPool, { status: 'open', limit: 0, offset: 0 });
    return sendPage(reply, confirmShufflePage(view(request), open.total));
  });
  api.post('/shuffle', { ...shufflers, schema: { body: formBody() } }, async (request, reply) =>
    postForm(
      reply,
      async () => `/?done=shuffled&n=${await shuffleOpenTasks(pool, request.traceId)}`,
      async (notice) => allTasksPage(view(request, notice), await list({})),
    ),
  );
}
