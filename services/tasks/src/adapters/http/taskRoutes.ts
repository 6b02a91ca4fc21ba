import { type AuthenticatedUser, csrfTokenFor, requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { formSchema, httpStatusOf, NoticeText, PageNumber, pageOf, SearchText } from '@ates/platform/http';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { completeTask } from '../../app/completeTask.ts';
import { createTask } from '../../app/createTask.ts';
import { shuffleOpenTasks } from '../../app/shuffleOpenTasks.ts';
import { shufflingRoles } from '../../domain/roles.ts';
import type { Task, TaskStatus } from '../../domain/task.ts';
import { listTasks } from '../db/tasksTable.ts';
import { allTasksPage, type Listing, myTasksPage, type TasksView } from './views/tasksPages.ts';

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
type ListQuery = Static<typeof TaskListQuery>;
/** What a page was redirected with to show a notice: `?done=shuffled&n=12`. */
const TaskPageQuery = Type.Composite([
  TaskListQuery,
  Type.Object({ done: Type.Optional(NoticeText), n: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })) }),
]);

function readListQuery(query: ListQuery): { status: TaskStatus | undefined; search: string; page: number } {
  return { status: query.status || undefined, search: (query.search ?? '').trim(), page: pageOf(query) };
}

const newTaskBody = {
  type: 'object',
  required: ['title'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', maxLength: 1_000 },
    jira_id: { anyOf: [{ type: 'string', maxLength: 100 }, { type: 'null' }] },
    description: { type: 'string', maxLength: 20_000 },
  },
} as const;

export async function taskRoutes(app: FastifyInstance, options: { pool: Pool; readPool: Pool }): Promise<void> {
  const { pool, readPool } = options;
  const signedIn = { preValidation: requireRole('tasks') };
  const shufflers = { preValidation: requireRole('tasks', ...shufflingRoles) };
  const user = (request: FastifyRequest) => request.user as AuthenticatedUser;
  const uuidParams = { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } };

  const list = async (query: ListQuery, assigneeId?: string): Promise<Listing> => {
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

  const listed = { ...signedIn, schema: { querystring: TaskListQuery } };
  const paged = { ...signedIn, schema: { querystring: TaskPageQuery } };
  app.get('/api/tasks', listed, async (request) => {
    const listing = await list(request.query as ListQuery);
    return { tasks: listing.tasks.map(publicTask), total: listing.total, page: listing.page, page_size: pageSize };
  });
  app.get('/api/tasks/mine', listed, async (request) => {
    const listing = await list(request.query as ListQuery, user(request).id);
    return { tasks: listing.tasks.map(publicTask), total: listing.total, page: listing.page, page_size: pageSize };
  });
  app.post<{ Body: { title: string; jira_id?: string | null; description?: string } }>(
    '/api/tasks',
    { ...signedIn, schema: { body: newTaskBody } },
    async (request, reply) => {
      const { title, jira_id, description } = request.body;
      const task = await createTask(pool, { title, jiraId: jira_id, description }, user(request).id, request.id);
      return reply.status(201).send(publicTask(task));
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/tasks/:id/complete',
    { ...signedIn, schema: uuidParams },
    async (request) => publicTask(await completeTask(pool, request.params.id, user(request).id, request.id)),
  );
  app.post('/api/tasks/shuffle', shufflers, async (request) => ({
    reassigned: await shuffleOpenTasks(pool, request.id),
  }));

  const view = (request: FastifyRequest, notice?: TasksView['notice']): TasksView => {
    const done = (request.query as { done?: string; n?: string }).done;
    const shuffled =
      done === 'shuffled'
        ? `Shuffled: ${Number((request.query as { n?: string }).n) || 0} open tasks reassigned.`
        : undefined;
    return {
      user: user(request),
      csrfToken: csrfTokenFor(request),
      canShuffle: shufflingRoles.includes(user(request).role),
      notice:
        notice ??
        (shuffled
          ? { kind: 'info', text: shuffled }
          : done && notices[done]
            ? { kind: 'info', text: notices[done]! }
            : undefined),
    };
  };
  const htmlReply = (reply: FastifyReply, body: string) => reply.type('text/html').send(body);

  app.get('/', paged, async (request, reply) =>
    htmlReply(reply, allTasksPage(view(request), await list(request.query as ListQuery))),
  );
  app.get('/my', paged, async (request, reply) =>
    htmlReply(reply, myTasksPage(view(request), await list(request.query as ListQuery, user(request).id))),
  );

  app.post<{ Body: { title?: string; jira_id?: string; description?: string } }>(
    '/tasks',
    { ...signedIn, schema: formSchema('title', 'jira_id', 'description') },
    async (request, reply) => {
      const draft = request.body ?? {};
      try {
        await createTask(
          pool,
          { title: draft.title ?? '', jiraId: draft.jira_id, description: draft.description },
          user(request).id,
          request.id,
        );
      } catch (error) {
        if (!(error instanceof RuleBroken)) throw error;
        return htmlReply(
          reply.status(httpStatusOf(error)),
          allTasksPage(view(request, { kind: 'error', text: error.message }), await list({}), draft),
        );
      }
      return reply.redirect('/?done=created', 303);
    },
  );
  app.post<{ Params: { id: string } }>(
    '/tasks/:id/done',
    { ...signedIn, schema: { ...uuidParams, ...formSchema() } },
    async (request, reply) => {
      try {
        await completeTask(pool, request.params.id, user(request).id, request.id);
      } catch (error) {
        if (!(error instanceof RuleBroken)) throw error;
        return htmlReply(
          reply.status(httpStatusOf(error)),
          myTasksPage(view(request, { kind: 'error', text: error.message }), await list({}, user(request).id)),
        );
      }
      return reply.redirect('/my?done=completed', 303);
    },
  );
  app.post('/shuffle', { ...shufflers, schema: formSchema() }, async (request, reply) => {
    try {
      const reassigned = await shuffleOpenTasks(pool, request.id);
      return reply.redirect(`/?done=shuffled&n=${reassigned}`, 303);
    } catch (error) {
      if (!(error instanceof RuleBroken)) throw error;
      return htmlReply(
        reply.status(httpStatusOf(error)),
        allTasksPage(view(request, { kind: 'error', text: error.message }), await list({})),
      );
    }
  });
}
