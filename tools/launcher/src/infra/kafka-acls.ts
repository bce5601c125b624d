import kafkajs, { type Admin, type AclEntry } from 'kafkajs';
// kafkajs is CommonJS and its enums are not named exports Node can see from ESM.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;
type AclResourceTypes = kafkajs.AclResourceTypes;
type AclOperationTypes = kafkajs.AclOperationTypes;
import { allTopics, type BrokerGrant } from '@burger/contracts';

/**
 * Topics are created here, by the launcher as the super user, before any app starts; the broker
 * creates none by itself (`auto.create.topics.enable=false`) and no app gets CREATE. Why: every topic
 * is known from the contracts (Topic and its dead-letter topic), so there is nothing to create at
 * run time; a CREATE grant would let any app squat a name (create `payment-events` before pay, with
 * its own partition count); and a misspelt topic fails loudly instead of quietly becoming a topic
 * nobody reads.
 */
export async function ensureTopics(admin: Admin, partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = allTopics().filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
  });
}

/** The ACLs one grant stands for: WRITE its own topics, READ what it consumes, READ its consumer group (= its app-id). */
export function aclsOf(grant: BrokerGrant): AclEntry[] {
  const allow = (resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes): AclEntry => ({
    principal: `User:${grant.appId}`,
    host: '*',
    resourceType,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  return [
    ...grant.writes.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE)),
    ...grant.reads.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.READ)),
    // Dapr's `consumerGroup: "{appID}"`: an app may join its own group only, not another app's
    // (joining pay's group would take pay's partitions, and with them its refunds).
    ...(grant.reads.length ? [allow(AclResourceTypes.GROUP, grant.appId, AclOperationTypes.READ)] : []),
  ];
}

const keyOf = (acl: AclEntry) =>
  [acl.principal, acl.host, acl.resourceType, acl.resourceName, acl.resourcePatternType, acl.operation, acl.permissionType].join('|');

/** Makes the broker's ACLs exactly the grants': missing ones are added, any other ACL is removed. */
export async function syncAcls(admin: Admin, grants: readonly BrokerGrant[]): Promise<{ added: number; removed: number }> {
  const wanted = new Map(grants.flatMap(aclsOf).map((acl) => [keyOf(acl), acl]));
  const described = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const present = described.resources.flatMap((resource) =>
    resource.acls.map((acl) => ({
      ...acl,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      resourcePatternType: resource.resourcePatternType,
    })),
  );
  const presentKeys = new Set(present.map(keyOf));
  const stale = present.filter((acl) => !wanted.has(keyOf(acl)));
  const missing = [...wanted.values()].filter((acl) => !presentKeys.has(keyOf(acl)));
  if (stale.length) await admin.deleteAcls({ filters: stale });
  if (missing.length) await admin.createAcls({ acl: missing });
  return { added: missing.length, removed: stale.length };
}
