// metav1.LabelSelector semantics: every matchLabels entry and every matchExpression must hold;
// an empty selector selects everything.
import type { LabelSelector } from './model/common'

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key)
    switch (operator) {
      case 'In': if (!has || !values.includes(labels[key]!)) return false; break
      case 'NotIn': if (has && values.includes(labels[key]!)) return false; break
      case 'Exists': if (!has) return false; break
      case 'DoesNotExist': if (has) return false; break
    }
  }
  return true
}
