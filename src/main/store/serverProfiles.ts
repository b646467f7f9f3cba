// What probes found servers really do (<user data>/server-profiles.json), so a connection is
// probed once, not at every run. Keyed by the backend's identity (plugin id and a hash of its
// settings, secrets as their "env:NAME" references, never a key): other settings, another profile.
// It is learned data, so a damaged file is reported and read as empty (the next probe rewrites
// it), never a reason to refuse a run. Writes take the file's lock and go through an atomic rename.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { JSON_CONSTRAINTS, type ServerProfile } from '../../plugins/contract.js';
import { ownValue } from '../../shared/ownProperty.js';
import { withLock } from './exclusiveLock.js';
import { makePrivateDir, writeFileAtomic } from './privateFiles.js';

export const SERVER_PROFILES_FILE = 'server-profiles.json';

const constraint = z.enum(JSON_CONSTRAINTS).nullable().optional();

/** A plugin's profile is an input like any other: checked before it is kept or handed back. */
export const serverProfileSchema = z.object({
  probedAt: z.number(),
  server: z.string().max(200).optional(),
  json: z.object({ chat: constraint, completion: constraint }),
  multipleSamples: z.boolean().optional(),
  streamUsage: z.boolean().optional(),
  contextLength: z.number().int().positive().optional(),
  requests: z.number().int().min(0),
  summary: z.string().max(500),
});

const fileSchema = z.object({
  version: z.literal(1),
  profiles: z.record(z.string(), serverProfileSchema.extend({ plugin: z.string() })),
});
type ProfilesFile = z.infer<typeof fileSchema>;

export interface ProfileRead {
  profiles: ProfilesFile['profiles'];
  /** Why the file could not be used, when it could not. */
  damaged?: string;
}

export function readServerProfiles(userDataDir: string): ProfileRead {
  const file = path.join(userDataDir, SERVER_PROFILES_FILE);
  if (!existsSync(file)) return { profiles: {} };
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return { profiles: parsed.data.profiles };
    return { profiles: {}, damaged: `${file} is invalid (${z.prettifyError(parsed.error).split('\n')[0]})` };
  } catch (error) {
    return { profiles: {}, damaged: `${file} is not readable JSON (${(error as Error).message.split('\n')[0]})` };
  }
}

/** The saved profile of a backend identity, if any (a damaged file reads as none). */
export function storedProfile(userDataDir: string, identity: string): ServerProfile | undefined {
  const entry = ownValue(readServerProfiles(userDataDir).profiles, identity);
  if (!entry) return undefined;
  const { plugin: _plugin, ...profile } = entry;
  return profile as ServerProfile;
}

/** Keeps a probe's profile; throws (with the reason) when the plugin's profile is malformed. */
export async function saveProfile(
  userDataDir: string,
  identity: string,
  plugin: string,
  profile: ServerProfile,
): Promise<ServerProfile> {
  const checked = serverProfileSchema.parse(profile) as ServerProfile;
  const file = path.join(userDataDir, SERVER_PROFILES_FILE);
  makePrivateDir(userDataDir);
  await withLock(file, 'a server profile change', 10_000, () => {
    // A damaged file is replaced: what it held is learned again by the next probes.
    const { profiles } = readServerProfiles(userDataDir);
    profiles[identity] = { ...checked, plugin };
    writeFileAtomic(file, `${JSON.stringify({ version: 1, profiles } satisfies ProfilesFile, null, 2)}\n`);
  });
  return checked;
}
