// Compile-time tests of the API contract (type-checked by `npm run typecheck`, never run): the
// method lists both transports serve and the argument schema table must match StudioApi exactly.
// Each `@ts-expect-error` line is a list or table that must NOT compile; if the check behind it
// stopped working, the line would compile and the directive itself would fail the typecheck.
import type { z } from 'zod';
import { API_ARGUMENTS, type ArgumentsOf, type ArgumentTable } from '../../src/shared/apiSchemas.js';
import {
  API_METHODS,
  type ApiMethodName,
  methodList,
  type StudioApi,
  type SubscriptionsOf,
} from '../../src/shared/studioApi.js';

const checkMethods = methodList<StudioApi>();
const checkSubscriptions = methodList<SubscriptionsOf<StudioApi>>();

// The real lists compile (they are defined through the same checks).
checkMethods({ ...API_METHODS });
checkSubscriptions({
  runs: ['subscribe'],
  experiments: ['subscribe'],
  playground: ['compare'],
  models: ['pull'],
  aspects: ['try'],
  judgeChecks: ['run'],
});

// A missing method: runs.pause left out.
// @ts-expect-error: runs.pause is missing (`problems: "runs.pause"`)
checkMethods({
  ...API_METHODS,
  runs: [
    'list',
    'get',
    'estimate',
    'start',
    'resume',
    'cancel',
    'remove',
    'fork',
    'export',
    'exportBundle',
    'importBundle',
    'subscribe',
  ],
});

// An extra method, which StudioApi does not have.
// @ts-expect-error: plugins.install is not a method of the contract
checkMethods({ ...API_METHODS, plugins: ['list', 'install'] });

// An extra domain.
// @ts-expect-error: billing is not a domain of the contract
checkMethods({ ...API_METHODS, billing: ['list'] });

// A subscription left out, and a plain call listed as one.
// @ts-expect-error: playground.compare is missing
checkSubscriptions({ runs: ['subscribe'], experiments: ['subscribe'] });
// @ts-expect-error: runs.list returns a Promise, so it is no subscription
checkSubscriptions({ runs: ['subscribe', 'list'], experiments: ['subscribe'], playground: ['compare'] });

// The schema table: one signature per method, no other, each of the method's own arguments.
API_ARGUMENTS satisfies ArgumentTable;
const { 'runs.pause': _pause, ...withoutPause } = API_ARGUMENTS;
// @ts-expect-error: runs.pause has no schema
withoutPause satisfies ArgumentTable;
// @ts-expect-error: runs.rewind is not a method of the contract
({ ...API_ARGUMENTS, 'runs.rewind': API_ARGUMENTS['runs.get'] }) satisfies ArgumentTable;
// @ts-expect-error: runs.get takes one id, not fork's two
({ ...API_ARGUMENTS, 'runs.get': API_ARGUMENTS['runs.fork'] }) satisfies ArgumentTable;

// And the converse of the table's own check: every argument list the interface allows, its schema accepts.
type SchemaInputs = { [K in ApiMethodName]: z.input<(typeof API_ARGUMENTS)[K]['args']> };
type InterfaceArguments = { [K in ApiMethodName]: ArgumentsOf<K> };
({}) as InterfaceArguments satisfies SchemaInputs;
