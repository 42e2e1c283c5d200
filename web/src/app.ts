import { ApiError, type Auth, data, METRICS_KEY, saveAuth, savedAuth, UNAUTHORIZED } from './api.js'
import { h } from './dom.js'
import { healthPage } from './health.js'
import { instancePage } from './instance.js'
import { instancesPage } from './instances.js'
import { type Ctx, forgetTokens, Scope } from './scope.js'
import { createPage } from './settings.js'

const main = document.getElementById('main')!
const nav = document.getElementById('nav')!
let scope = new Scope()

function signOut(): void {
  saveAuth(undefined)
  sessionStorage.removeItem(METRICS_KEY)
  forgetTokens()
  if (location.hash === '#/signin') route()
  else location.hash = '#/signin'
}
// The token was revoked while the page was open: back to the sign-in form, polling stops.
window.addEventListener(UNAUTHORIZED, () => {
  if (savedAuth()) signOut()
})

function renderNav(auth: Auth | undefined): void {
  nav.replaceChildren()
  if (!auth) return
  const link = (href: string, label: string) => h('a', { href }, label)
  nav.append(
    auth.role === 'admin'
      ? link('#/instances', 'Instances')
      : link(`#/i/${encodeURIComponent(auth.userId ?? '')}`, auth.name ?? 'My instance'),
    link('#/health', 'Health'),
    h('span', { class: 'who' }, auth.role === 'admin' ? 'admin' : 'instance token'),
    h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'),
  )
}

function signInPage(): HTMLElement {
  const token = h('input', {
    id: 'token',
    type: 'password',
    name: 'token',
    autocomplete: 'current-password',
    required: true,
    'aria-describedby': 'token-hint',
  })
  const error = h('p', { class: 'error', role: 'alert' })
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'token' }, 'Token'),
      token,
      h(
        'small',
        { id: 'token-hint', class: 'hint' },
        'The admin token (every instance) or an instance’s own token (that instance only).',
      ),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    error,
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    error.textContent = ''
    const value = token.value.trim()
    try {
      // The admin token is sent as Authorization; a user token as Token.
      let me: { role: 'admin' | 'user'; id?: string; name?: string }
      try {
        me = await data('GET', 'dashboard/api/me', { as: { admin: value } })
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401) throw err
        me = await data('GET', 'dashboard/api/me', { as: { user: value } })
      }
      const auth: Auth = {
        role: me.role,
        token: value,
        ...(me.id ? { userId: me.id, name: me.name ?? '' } : {}),
      }
      saveAuth(auth)
      location.hash = auth.role === 'admin' ? '#/instances' : `#/i/${encodeURIComponent(auth.userId!)}`
    } catch (err) {
      error.textContent =
        err instanceof ApiError && err.status === 401
          ? 'That token is not valid.'
          : String((err as Error).message)
    }
  })
  return h('div', { class: 'center' }, form)
}

function route(): void {
  scope.dispose()
  scope = new Scope()
  const auth = savedAuth()
  renderNav(auth)
  const hash = location.hash.replace(/^#\/?/, '')
  const [page = '', ...rest] = hash.split('/').map(decodeURIComponent)
  if (!auth || page === 'signin') {
    main.replaceChildren(signInPage())
    document.title = 'Sign in · Zapwire'
    document.getElementById('token')?.focus()
    return
  }
  const ctx: Ctx = { auth, scope, go: (r) => (location.hash = r) }
  let view: HTMLElement
  if (page === 'health') view = healthPage(ctx)
  else if (page === 'i' && rest[0]) view = instancePage(ctx, rest[0], rest[1] ?? 'overview')
  else if (page === 'new' && auth.role === 'admin') view = createPage(ctx)
  else if (auth.role === 'admin') view = instancesPage(ctx)
  else view = instancePage(ctx, auth.userId!, 'overview')
  main.replaceChildren(view)
  main.focus({ preventScroll: true })
}

window.addEventListener('hashchange', route)
route()
