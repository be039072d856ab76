// Link to a workflow in the Temporal Web UI (the ops console for every operation).
export const TEMPORAL_UI_BASE = 'http://127.0.0.1:18233';

export function temporalWorkflowUrl(workflowId: string, namespace = 'default', base = TEMPORAL_UI_BASE): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
