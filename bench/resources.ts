import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from '../tools/launcher/src/paths.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_KB = 4;

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  ticks: number;
  /** CPU of children it has reaped (cutime + cstime): PostgreSQL's backends end and are reaped by the postmaster. */
  reapedTicks: number;
  rssKb: number;
}

function readProcesses(): ProcStat[] {
  const all: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the parenthesised command: state ppid pgrp … utime(14) stime(15) cutime(16) cstime(17) … rss(24).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
        ticks: Number(fields[11]) + Number(fields[12]),
        reapedTicks: Number(fields[13]) + Number(fields[14]),
        rssKb: Number(fields[21]) * PAGE_KB,
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return all;
}

/**
 * CPU ticks and resident KB of a started process and everything under it: its process
 * group (the supervisor gives each its own) and its descendants (runuser may start a new
 * session for PostgreSQL and Redis, whose workers then live in another group).
 */
function groupUsage(root: number, all = readProcesses()): { ticks: number; rssKb: number } {
  // The harness is one process (the baseline runs inside it); the stack it started is counted apart.
  if (root === process.pid)
    return all
      .filter((p) => p.pid === root)
      .reduce((sum, p) => ({ ticks: sum.ticks + p.ticks, rssKb: sum.rssKb + p.rssKb }), { ticks: 0, rssKb: 0 });
  const parent = new Map(all.map((p) => [p.pid, p.ppid]));
  const under = (pid: number): boolean => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; at = parent.get(at) ?? 0, hops++) if (at === root) return true;
    return false;
  };
  const members = all.filter((p) => p.pgrp === root || under(p.pid));
  // Reaped children count too, else a group's total drops whenever a worker exits (it did: PostgreSQL went negative).
  return { ticks: members.reduce((sum, p) => sum + p.ticks + p.reapedTicks, 0), rssKb: members.reduce((sum, p) => sum + p.rssKb, 0) };
}

/** The name the load generator (this process) is reported under: apart from the stack, never counted as its CPU. */
export const HARNESS = 'bench harness (load + baseline)';

/** The stack's processes by name (.run/pids, written by the launcher's supervisor) plus this harness. */
function processGroups(): Map<string, number> {
  const groups = new Map<string, number>();
  for (const file of readdirSync(join(RUN_DIR, 'pids')).filter((name) => name.endsWith('.pid') && name !== 'launcher.pid')) {
    groups.set(file.replace(/\.pid$/, ''), Number(readFileSync(join(RUN_DIR, 'pids', file), 'utf8')));
  }
  groups.set(HARNESS, process.pid);
  return groups;
}

export interface ProcessCost {
  name: string;
  cpuSeconds: number;
  peakRssMb: number;
}

/** Samples every process's CPU and RSS while a phase runs; `stop` gives CPU seconds used and peak RSS per process. */
export function watchResources(everyMs = 500): { stop(): ProcessCost[] } {
  const groups = processGroups();
  const start = new Map([...groups].map(([name, pgid]) => [name, groupUsage(pgid).ticks]));
  const peak = new Map<string, number>();
  const sample = () => {
    const all = readProcesses();
    for (const [name, pgid] of groups) peak.set(name, Math.max(peak.get(name) ?? 0, groupUsage(pgid, all).rssKb));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return [...groups].map(([name, pgid]) => ({
        name,
        cpuSeconds: (groupUsage(pgid).ticks - start.get(name)!) / TICKS_PER_SECOND,
        peakRssMb: (peak.get(name) ?? 0) / 1024,
      }));
    },
  };
}
