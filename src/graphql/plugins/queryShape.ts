import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from '../../config.js';
import { limitExceeded, type LimitName } from '../errors.js';

/**
 * The shape of a document, checked by graphql-armor while it is parsed and validated, so a hostile
 * document costs little and reaches no resolver: tokens (counted by the lexer, so parsing stops at the
 * limit), depth, aliases and directives (each per operation, fragments included). Depth flattens
 * fragments (a spread adds no level of its own: depth is the nesting of the answer) and skips
 * `__schema`, so every tool's introspection query passes however deep its `ofType` chain; circular
 * introspection is introspection.ts's to refuse. `__typename` aliases count like any other alias.
 *
 * A refusal is thrown rather than reported, which stops graphql-js's validation at once (before its
 * costlier rules run) and answers BAD_USER_INPUT with `extensions.limit` naming the limit.
 */
export function useQueryShapeLimits(limits: QueryLimits): Plugin {
  const refuse = (limit: LimitName) => [
    (_context: unknown, error: GraphQLError) => {
      throw limitExceeded(limit, error.message.replace(/^Syntax Error: /, ''));
    },
  ];
  return EnvelopArmorPlugin({
    maxTokens: { n: limits.maxTokens, onReject: refuse('tokens') },
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject: refuse('depth') },
    maxAliases: { n: limits.maxAliases, allowList: [], onReject: refuse('aliases') },
    maxDirectives: { n: limits.maxDirectives, onReject: refuse('directives') },
    // Ours instead: the cost plugin knows which fields call iManage and reads `first` from variables too;
    // suggestions are removed from every error, not only validation's (see fieldSuggestions.ts).
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}
