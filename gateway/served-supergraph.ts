import { Kind, parse, print, visit, type DirectiveNode } from 'graphql';

const SCOPES_SPEC = 'https://specs.apollo.dev/requiresScopes/';

/**
 * The supergraph as @apollo/gateway can run it. The composed supergraph keeps Federation's
 * `@requiresScopes` (Apollo Router and Cosmo enforce it themselves), but @apollo/gateway refuses
 * any SECURITY feature it does not implement; this gateway enforces scopes in its own plugin,
 * so it is served the same graph without that feature.
 */
export function servedSupergraph(sdl: string): string {
  const isScopesLink = (d: DirectiveNode) => d.name.value === 'link' && d.arguments?.some((a) => a.name.value === 'url' && a.value.kind === Kind.STRING && a.value.value.startsWith(SCOPES_SPEC));
  return print(visit(parse(sdl), {
    Directive: (node) => (node.name.value === 'requiresScopes' || isScopesLink(node) ? null : undefined),
    DirectiveDefinition: (node) => (node.name.value === 'requiresScopes' ? null : undefined),
    ScalarTypeDefinition: (node) => (node.name.value.startsWith('requiresScopes__') ? null : undefined),
  }));
}
